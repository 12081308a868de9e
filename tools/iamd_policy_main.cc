// iamd-policy: the policy engine's command line, linked with iamd_policy and iamd_common only.
//   iamd-policy validate [--kind K] FILE...
//   iamd-policy eval --action A [--resource R] [--context k=v]... FILE...
#include "tools/policy_cli.h"

int main(int argc, char** argv) {
  // RunPolicyCli expects argv[0] to be the command word and argv[1] the subcommand.
  return iamd::tools::RunPolicyCli(argc, argv);
}
