// `policy validate` and `policy eval`: the policy engine on the command line, offline.
//
//   policy validate [--kind identity|managed|trust|resource|session|boundary] FILE...
//       Prints "FILE: OK" or "FILE:LINE:COL: message" per file; exit 0 if all are valid, else 1.
//   policy eval --action A [--resource R] [--context key=value]... [--kind K]
//               [--principal-arn ARN] FILE...
//       Evaluates the files as the caller's identity policies (or, with --kind resource, as a
//       resource-based policy) and prints the decision and the matched statements; exit 0 if
//       allowed, 2 if denied, 1 on a usage or policy error.
//
// RunPolicyCli takes the arguments after the program name's "policy" word: argv[0] is the
// command's name ("policy"), argv[1] the subcommand. Writes to stdout/stderr only; the engine
// itself does no I/O.
#pragma once

namespace iamd::tools {

int RunPolicyCli(int argc, char** argv);

}  // namespace iamd::tools
