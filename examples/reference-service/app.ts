/**
 * The service's web routes:
 *
 * | Route | What it does |
 * |---|---|
 * | `GET /` | home page with a "Continue with NHS login" link |
 * | `GET /login` | starts a sign-in: binds state and nonce to the browser, redirects to NHS login |
 * | `GET /callback` | the redirect URI: completes the sign-in or shows why it could not |
 * | `GET /account` | the protected page; without a live session it sends the browser to sign in |
 * | `GET /account/verified` | a feature for P9 users only; a P5 session is sent to NHS login to step up to P9 (STEPUP-02) |
 * | `POST /logout` | ends the session |
 * | `POST /__test/clock` | TEST ONLY, with REFERENCE_SERVICE_TEST_CLOCK=true: `{"advanceSeconds": n}` moves the session clock |
 * | `POST /__test/users-lookup` | with REFERENCE_SERVICE_USERS_LOOKUP_HOOK=true: looks `{"nhsNumber"?, "email"?}` up in Users V2 |
 * | `GET /staff/provision` | with REFERENCE_SERVICE_ODS_CODE: the staff form that provisions an NHS login account for a patient |
 * | `POST /staff/provision` | provisions the account (Provision Account API) and shows staff the outcome |
 * | `POST /__test/provision` | with REFERENCE_SERVICE_PROVISION_HOOK=true: provisions `{nhsNumber, email, dateOfBirth, phoneNumber}` |
 *
 * @example
 * ```ts
 * const app = await buildApp(settings, await createNhsLogin(settings))
 * await app.listen({ host: settings.host, port: settings.port })
 * ```
 */
import { decodeJwt } from "jose";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import cookie from "@fastify/cookie";
import type { Settings } from "./settings.ts";
import { SignInError, type NhsLogin } from "./oidc.ts";
import type { UsersV2Lookup } from "./users-v2.ts";
import type { AccountProvisioner, ProvisionRequest } from "./provision-account.ts";
import formbody from "@fastify/formbody";
import { Clock, type Person, SessionStore, TransactionStore, TRANSACTION_SECONDS } from "./session.ts";
import {
  accountPage,
  homePage,
  noConsentPage,
  noSignInInProgressPage,
  otherPersonPage,
  p9OnlyPage,
  provisionFormPage,
  provisionResultPage,
  signInFailedPage,
  tryAgainPage,
  verifiedPage,
} from "./pages.ts";

export async function buildApp(
  settings: Settings,
  nhsLogin: NhsLogin,
  clock = new Clock(),
  usersV2?: UsersV2Lookup,
  provisioner?: AccountProvisioner,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: "warn" }, bodyLimit: 16 * 1024 });
  await app.register(cookie);
  // The second arguments are TEST ONLY switches (REFERENCE_SERVICE_UNSAFE); both are off normally.
  const reusableTxn = settings.unsafe === "single-use-transaction";
  const transactions = new TransactionStore(clock, reusableTxn);
  const sessions = new SessionStore(clock, settings.unsafe === "session-limits");
  // TEST ONLY (replayed-callback-session): completed sign-ins remembered by code, restored for whoever opens the callback again.
  const completed = new Map<string, Person>();

  // Cookies hold random references only, never tokens. HttpOnly: no script can read them.
  // SameSite=Lax: sent on the top-level redirect back from NHS login, not on cross-site posts.
  // Secure and the __Host- prefix whenever the service is on https.
  const secure = new URL(settings.baseUrl).protocol === "https:";
  const TXN = secure ? "__Host-nhsl_txn" : "nhsl_txn";
  const SESSION = secure ? "__Host-nhsl_session" : "nhsl_session";
  const cookieOptions = {
    httpOnly: settings.unsafe !== "httponly-cookies" /* TEST ONLY switch */,
    sameSite: "lax",
    secure,
    path: "/",
  } as const;

  app.addHook("onSend", async (_req, reply) => {
    reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer").header("x-content-type-options", "nosniff");
  });
  // Unexpected failures get a plain page: no stack trace, no detail.
  app.setErrorHandler((err, _req, reply) => {
    app.log.error(err);
    return html(reply, 500, signInFailedPage());
  });

  app.get("/", async (_req, reply) => html(reply, 200, homePage(settings.serviceName)));

  app.get("/login", async (req, reply) => {
    const reauthenticate = (req.query as Record<string, unknown>).reason === "expired";
    const { txn, url } = await nhsLogin.start({ reauthenticate });
    reply.setCookie(TXN, transactions.create(txn), { ...cookieOptions, maxAge: TRANSACTION_SECONDS });
    return reply.redirect(url.href, 302);
  });

  app.get("/callback", async (req, reply) => {
    const callbackUrl = new URL(req.url, settings.baseUrl);
    // TEST ONLY: the replayed-callback-session switch signs in whoever opens a completed callback again.
    const code = callbackUrl.searchParams.get("code") ?? "";
    const replayed = settings.unsafe === "replayed-callback-session" ? completed.get(code) : undefined;
    if (replayed) {
      reply.setCookie(SESSION, sessions.create(replayed), cookieOptions);
      return reply.redirect("/account", 303);
    }
    // The transaction is taken (single use) before anything else: a replayed callback finds none
    // and never reaches the token endpoint (FED-ARESP-03, FED-ARESP-04).
    const txn = transactions.take(req.cookies[TXN]);
    if (!reusableTxn) reply.clearCookie(TXN, cookieOptions);
    if (!txn) return html(reply, 400, noSignInInProgressPage());
    // TEST ONLY: front-channel-id-token trusts an id_token in the callback, unverified, and never redeems the code.
    const frontChannel = settings.unsafe === "front-channel-id-token" ? callbackUrl.searchParams.get("id_token") : null;
    if (frontChannel) {
      const claims = decodeJwt(frontChannel);
      const name = [claims.given_name, claims.family_name].filter((x) => typeof x === "string").join(" ");
      const person = {
        sub: String(claims.sub),
        vot: String(claims.vot ?? "unknown"),
        ...(name ? { name } : {}),
        ...(typeof claims.nhs_number === "string" ? { nhsNumber: claims.nhs_number } : {}),
      };
      reply.setCookie(SESSION, sessions.create(person), cookieOptions);
      return reply.redirect("/account", 303);
    }
    const search = callbackUrl.search;
    try {
      // TEST ONLY: step-up-trusts-request checks a step-up's vot against every registered vector, not the P9 ones it asked for.
      const trusting = settings.unsafe === "step-up-trusts-request" && txn.stepUpOf !== undefined;
      let person = await nhsLogin.finish(search, trusting ? { ...txn, vtr: settings.vtr } : txn);
      // ... and takes the level it asked for as the level it got.
      if (trusting) person = { ...person, vot: txn.vtr[0]! };
      if (txn.stepUpOf !== undefined && person.sub !== txn.stepUpOf) {
        // STEPUP-05: a step-up raises only the same person's session; someone else is not signed in by it.
        // TEST ONLY: step-up-upgrades-other-person gives the current session the other person's level.
        const current = settings.unsafe === "step-up-upgrades-other-person" ? sessions.touch(req.cookies[SESSION]).person : undefined;
        if (current) {
          sessions.destroy(req.cookies[SESSION]);
          reply.setCookie(SESSION, sessions.create({ ...current, vot: person.vot }), cookieOptions);
          return reply.redirect("/account/verified", 303);
        }
        req.log.warn("step-up returned another person; the session is left as it was");
        return html(reply, 403, otherPersonPage(settings.serviceName));
      }
      // TEST ONLY: step-up-keeps-level leaves the session at its old level after the same person's step-up.
      if (settings.unsafe === "step-up-keeps-level" && txn.stepUpOf !== undefined) return reply.redirect("/account", 303);
      sessions.destroy(req.cookies[SESSION]);
      reply.setCookie(SESSION, sessions.create(person), cookieOptions);
      if (settings.unsafe === "replayed-callback-session") completed.set(code, person);
      return reply.redirect(txn.stepUpOf !== undefined ? "/account/verified" : "/account", 303);
    } catch (err) {
      if (!(err instanceof SignInError)) throw err;
      req.log.warn({ reason: err.message, error: err.error }, "sign-in not completed");
      // TEST ONLY: the error-pages-500 switch answers every authorization error with a server error.
      if (settings.unsafe === "error-pages-500" && err.kind === "authorization-error") {
        return reply.code(500).type("text/plain").send("Internal Server Error");
      }
      if (err.error === "access_denied") {
        // TEST ONLY: the no-consent-page switch answers with a server error instead.
        if (settings.unsafe === "no-consent-page") return reply.code(500).type("text/plain").send("Internal Server Error");
        // TEST ONLY: generic-no-consent-page shows the generic page instead; no-consent-links turns the links into text.
        if (settings.unsafe === "generic-no-consent-page") return html(reply, 403, signInFailedPage());
        const page = noConsentPage(settings.serviceName);
        return html(reply, 403, settings.unsafe === "no-consent-links" ? page.replace(/<a href="[^"]*">([^<]*)<\/a>/g, "$1") : page);
      }
      if (err.error === "server_error" || err.error === "temporarily_unavailable") return html(reply, 400, tryAgainPage());
      // TEST ONLY: unescaped-error-description echoes NHS login's error_description into the page without escaping it.
      if (settings.unsafe === "unescaped-error-description" && err.kind === "authorization-error") {
        return html(reply, 400, signInFailedPage().replace("</main>", `<p>NHS login said: ${err.message}</p>\n</main>`));
      }
      return html(reply, 400, signInFailedPage());
    }
  });

  app.get("/account", async (req, reply) => {
    const { person, expired } = sessions.touch(req.cookies[SESSION]);
    if (!person) {
      reply.clearCookie(SESSION, cookieOptions);
      return reply.redirect(expired ? "/login?reason=expired" : "/login", 302);
    }
    // TEST ONLY: nhs-number-as-number shows the NHS number after a round trip through a number.
    const shown =
      settings.unsafe === "nhs-number-as-number" && person.nhsNumber ? { ...person, nhsNumber: String(Number(person.nhsNumber)) } : person;
    return html(reply, 200, accountPage(settings.serviceName, shown));
  });

  // VOT-11: the level received decides what a person may see. A P5 session asks NHS login for a
  // P9 verification step-up (STEPUP-02: P9 vectors only, fresh state and nonce), never serves it.
  app.get("/account/verified", async (req, reply) => {
    const { person, expired } = sessions.touch(req.cookies[SESSION]);
    if (!person) {
      reply.clearCookie(SESSION, cookieOptions);
      return reply.redirect(expired ? "/login?reason=expired" : "/login", 302);
    }
    // TEST ONLY: p9-feature-for-p5 serves the P9 feature whatever the level.
    if (levelOf(person.vot) === "P9" || settings.unsafe === "p9-feature-for-p5")
      return html(reply, 200, verifiedPage(settings.serviceName, person));
    // The step-up asks for the registered P9 vectors only; a service registered for none cannot ask NHS login for P9.
    const p9 = settings.vtr.filter((v) => levelOf(v) === "P9");
    if (p9.length === 0) return html(reply, 403, p9OnlyPage(settings.serviceName));
    const { txn, url } = await nhsLogin.start({ reauthenticate: false, vtr: p9 });
    reply.setCookie(TXN, transactions.create({ ...txn, stepUpOf: person.sub }), { ...cookieOptions, maxAge: TRANSACTION_SECONDS });
    return reply.redirect(url.href, 302);
  });

  app.post("/logout", async (req, reply) => {
    // TEST ONLY: logout-keeps-session clears the cookie below and nothing else.
    if (settings.unsafe !== "logout-keeps-session") sessions.destroy(req.cookies[SESSION]);
    reply.clearCookie(SESSION, cookieOptions);
    return reply.redirect("/", 303);
  });

  if (settings.usersLookupHook && usersV2) {
    // The Users V2 lookup hook (docs/checking-your-service.md): the harness asks for a lookup and
    // reads what the service concluded. A real service would put its staff sign-in in front of this.
    app.post("/__test/users-lookup", async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      const nhsNumber = text(body.nhsNumber);
      const email = text(body.email);
      const result = await usersV2.lookup({ ...(nhsNumber ? { nhsNumber } : {}), ...(email ? { email } : {}) });
      return reply.code(200).send(result);
    });
  }

  if (provisioner) {
    // Staff provision patients here. A real service would put its staff sign-in in front of it.
    await app.register(formbody);
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    const requestFrom = (body: Record<string, unknown>): ProvisionRequest => {
      const r: ProvisionRequest = {};
      for (const k of ["nhsNumber", "email", "dateOfBirth", "phoneNumber"] as const) {
        const v = text(body[k]);
        if (v !== undefined) r[k] = v;
      }
      return r;
    };
    app.get("/staff/provision", async (_req, reply) => html(reply, 200, provisionFormPage(settings.serviceName)));
    app.post("/staff/provision", async (req, reply) => {
      const result = await provisioner.provision(requestFrom((req.body ?? {}) as Record<string, unknown>));
      return html(reply, result.outcome === "error" ? 422 : 200, provisionResultPage(settings.serviceName, result));
    });
    if (settings.provisionHook) {
      // The provisioning hook (docs/checking-your-service.md): the harness asks for a provisioning and
      // reads what the service concluded and what staff were told.
      app.post("/__test/provision", async (req, reply) =>
        reply.code(200).send(await provisioner.provision(requestFrom((req.body ?? {}) as Record<string, unknown>))),
      );
    }
  }

  if (settings.testClock) {
    // TEST ONLY (REFERENCE_SERVICE_TEST_CLOCK=true): lets the harness check the 30-minute and
    // 12-hour session limits without waiting. Never enable it in a deployment.
    app.post("/__test/clock", async (req, reply) => {
      const seconds = (req.body as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
      if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0 || seconds > 366 * 24 * 3600) {
        return reply.code(400).send({ error: "advanceSeconds must be a whole number of seconds from 0 to one year" });
      }
      clock.advance(seconds);
      return reply.code(204).send();
    });
  }
  return app;
}

/** The proofing level a vector or vot names (its first component). */
const levelOf = (vector: string) => vector.split(".")[0];

function html(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type("text/html; charset=utf-8").send(page);
}
