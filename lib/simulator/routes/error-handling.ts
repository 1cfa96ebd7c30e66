/**
 * Last-resort handlers: whatever goes wrong while parsing a request (bad JSON, a body over the
 * limit, a malformed form) is answered with the error the endpoint's specification prescribes,
 * never a bare 500. Unexpected internal errors are reported as the spec's server error and logged.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { OAuthError, UsersV2Error } from "../errors.ts";
import { errorPage } from "./error-page.ts";
import { usersV2ErrorBody } from "../users-v2/error-body.ts";

type Family = "token" | "authorize" | "userinfo" | "users-v2" | "other";

function familyOf(url: string): Family {
  const path = url.split("?")[0] ?? "";
  if (path === "/token") return "token";
  if (path.startsWith("/authorize")) return "authorize";
  if (path === "/userinfo") return "userinfo";
  if (path.toLowerCase().startsWith("/v2/")) return "users-v2";
  return "other";
}

/** Send `err` in the shape its endpoint family uses. */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const family = familyOf(req.url);
  if (err instanceof UsersV2Error) return reply.code(err.status).send(usersV2ErrorBody(err));
  const oauth = toOAuthError(err, family);
  if (family === "authorize") {
    return reply
      .code(oauth.status)
      .type("text/html; charset=utf-8")
      .send(errorPage("Sign-in request refused", oauth.description, oauth.error));
  }
  if (family === "users-v2") {
    if (oauth.status >= 500) return reply.code(500).send({ error: "Internal server error" });
    return reply.code(400).send({ Errors: [{ description: "Invalid syntax", code: "400" }] });
  }
  if (family === "token") reply.header("cache-control", "no-store").header("pragma", "no-cache");
  for (const [k, v] of Object.entries(oauth.headers)) reply.header(k, v);
  return reply.code(oauth.status).send({ error: oauth.error, error_description: oauth.description });
}

function toOAuthError(err: unknown, family: Family): OAuthError {
  if (err instanceof OAuthError) return err;
  const fe = err as Partial<FastifyError> | undefined;
  const status = typeof fe?.statusCode === "number" ? fe.statusCode : 500;
  if (status < 500) {
    const what =
      fe?.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? "request body is too large"
        : fe?.code === "FST_ERR_CTP_INVALID_JSON_BODY" || fe?.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
          ? "request body is not valid JSON"
          : "request is malformed";
    return new OAuthError("invalid_request", what, 400);
  }
  // A bug in the simulator: say so on stderr so tests notice, answer with the spec's server error.
  process.stderr.write(`[simulator] internal error on ${family}: ${(err as Error)?.stack ?? String(err)}\n`);
  return new OAuthError("server_error", "the simulator failed to process the request", 500);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => sendError(req, reply, err));
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    const allowed = ALLOWED_METHODS[path];
    if (allowed) {
      if (familyOf(path) === "users-v2") {
        return reply
          .code(405)
          .header("allow", allowed)
          .send({ Errors: [{ description: "Method not allowed", code: "405" }] });
      }
      return reply
        .code(405)
        .header("allow", allowed)
        .send({ error: "invalid_request", error_description: `method not allowed; use ${allowed}` });
    }
    if (familyOf(path) === "users-v2") return reply.code(404).send({ Errors: [{ description: "Not found", code: "404" }] });
    return reply.code(404).send({ error: "not_found" });
  });
}

/** Methods each protocol endpoint answers; anything else there is a 405. */
const ALLOWED_METHODS: Record<string, string> = {
  "/authorize": "GET, POST",
  "/token": "POST",
  "/userinfo": "GET, POST, PATCH",
  "/v2/Users": "GET",
};
