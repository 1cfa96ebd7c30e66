/**
 * Child process: oauth2-mock-server (npm) on 127.0.0.1 (port 0) with one RS512 key (2048-bit RSA,
 * jose's default), for the side-by-side token endpoint figure. Prints one JSON line, then serves
 * until its stdin closes (see _child.ts).
 */
import { OAuth2Server } from "oauth2-mock-server";
import { serveParent } from "./_child.ts";

const server = new OAuth2Server();
await server.issuer.keys.generate("RS512");
await server.start(0, "127.0.0.1");
const issuer = server.issuer.url!;

serveParent({ issuer, tokenEndpoint: `${issuer}/token` }, () => server.stop());
