// `oidc keygen` and `oidc token`: an OpenID Connect identity provider of one's own, offline, to
// try roles' trust policies with AssumeRoleWithWebIdentity (iamd serve --oidc-jwks).
//
//   oidc keygen [--alg RS256|ES256|ES384] [--kid KID] --key FILE --jwks FILE
//       Makes a key pair: the private key to FILE (PEM, mode 0600; an existing file is not
//       overwritten) and its public key as a JSON Web Key Set to the --jwks file. Exit 0, else 1.
//   oidc token --key FILE [--kid KID] --iss URL --sub SUB --aud AUD... [--lifetime SECONDS]
//              [--claims JSON]
//       Prints an ID token (a signed JWT) with iss, sub, aud, iat (now), exp (now + lifetime,
//       3600 by default) and the members of --claims. Exit 0, else 1.
//
// RunOidcCli takes the arguments after the program name: argv[0] is "oidc", argv[1] the
// subcommand. Writes to stdout/stderr and the files named only.
#pragma once

namespace iamd::tools {

int RunOidcCli(int argc, char** argv);

}  // namespace iamd::tools
