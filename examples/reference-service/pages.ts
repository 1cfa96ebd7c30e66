/**
 * The service's HTML pages. Every value from outside is escaped; no page ever shows a token.
 *
 * @example
 * ```ts
 * reply.type("text/html").send(noConsentPage("My service"))
 * ```
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A complete page: heading at least 20px, body text at least 16px (CONSENT-05). */
function layout(title: string, body: string, head = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>${head}
<style>body{font-family:Arial,sans-serif;font-size:16px;max-width:40em;margin:2em auto;padding:0 1em}h1{font-size:24px}</style>
</head><body><main>
${body}
</main></body></html>`;
}

export function homePage(serviceName: string): string {
  return layout(
    serviceName,
    `<h1>${escapeHtml(serviceName)}</h1>
<p><a href="/login">Continue with NHS login</a></p>`,
  );
}

/**
 * The signed-in page. It reloads itself after 30 minutes without activity, so an idle session
 * ends with a redirect to NHS login without the user doing anything (SESSION-06). It never shows
 * the NHS number NHS login traced: the user must not be presented with it (SCOPE-13).
 */
export function accountPage(
  serviceName: string,
  person: { name?: string; vot: string; nhsNumber?: string; exposedIdToken?: string },
): string {
  const rows = [
    person.name ? `<p>Name: ${escapeHtml(person.name)}</p>` : "",
    // The NHS number as received, a string, grouped 3-3-4 as NHS services show it.
    person.nhsNumber ? `<p>NHS number: ${escapeHtml(person.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1 $2 $3"))}</p>` : "",
    `<p>Level of verification: ${escapeHtml(person.vot)}</p>`,
    person.exposedIdToken ? `<p>ID token (TEST ONLY): ${escapeHtml(person.exposedIdToken)}</p>` : "",
  ].join("\n");
  return layout(
    `Your account - ${serviceName}`,
    `<h1>Your account</h1>
${rows}
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`,
    '<meta http-equiv="refresh" content="1801">',
  );
}

/** The feature for P9 users only (VOT-11): reached by a P9 session, or by a P5 session after its step-up. */
export function verifiedPage(serviceName: string, person: { name?: string; vot: string }): string {
  return layout(
    `Your GP record - ${serviceName}`,
    `<h1>Your GP record</h1>
${person.name ? `<p>Name: ${escapeHtml(person.name)}</p>\n` : ""}<p>Level of verification: ${escapeHtml(person.vot)}</p>
<p>Only people whose identity NHS login verified to P9 see this page.</p>
<p><a href="/account">Your account</a></p>`,
  );
}

/** Shown to a P5 session at the P9 feature when the service is registered for no P9 vector to step up to. */
export function p9OnlyPage(serviceName: string): string {
  return layout(
    `Not available - ${serviceName}`,
    `<h1>Not available</h1>
<p>This page is for people whose identity NHS login verified to P9, which this service is not set up to ask for.</p>
<p><a href="/account">Back to your account</a></p>`,
  );
}

/** Shown when a step-up came back with someone else (STEPUP-05): the session is left as it was. */
export function otherPersonPage(serviceName: string): string {
  return layout(
    `Verification not completed - ${serviceName}`,
    `<h1>Verification not completed</h1>
<p>NHS login verified a different person from the one signed in, so nothing has changed.</p>
<p><a href="/account">Back to your account</a></p>`,
  );
}

/** Shown when the user declined to share their information (access_denied); docs: no-consent guidance. */
export function noConsentPage(serviceName: string): string {
  return layout(
    "You cannot continue without sharing your information",
    `<h1>You cannot continue without sharing your information</h1>
<p>${escapeHtml(serviceName)} needs your NHS login information to verify your identity.</p>
<p>If you need medical help, go to <a href="https://111.nhs.uk/">111.nhs.uk</a> or call <a href="tel:111">111</a> or your GP.</p>
<p>Call <a href="tel:999">999</a> if it's a life-threatening emergency.</p>`,
  );
}

/** NHS login had a problem (server_error, temporarily_unavailable): offer to try again. */
export function tryAgainPage(): string {
  return layout(
    "Sorry, there is a problem with NHS login",
    `<h1>Sorry, there is a problem with NHS login</h1>
<p>You have not been signed in. Please try again later.</p>
<p><a href="/login">Try again</a></p>`,
  );
}

/** Any other failed sign-in: the details go to the log, never to the page. */
export function signInFailedPage(): string {
  return layout(
    "You could not be signed in",
    `<h1>You could not be signed in</h1>
<p>Something went wrong while signing you in with NHS login. You have not been signed in.</p>
<p><a href="/login">Try again</a></p>`,
  );
}

/** The callback was opened without a sign-in in progress (expired, reused or forged link). */
export function noSignInInProgressPage(): string {
  return layout(
    "Your sign-in has expired",
    `<h1>Your sign-in has expired</h1>
<p>This sign-in link has expired or has already been used. You have not been signed in.</p>
<p><a href="/login">Start again</a></p>`,
  );
}

/** The staff form that provisions an NHS login account for a patient (Provision Account). */
export function provisionFormPage(serviceName: string): string {
  const field = (name: string, label: string, hint: string) =>
    `<p><label for="${name}">${label}</label><br><input id="${name}" name="${name}" required> <small>${hint}</small></p>`;
  return layout(
    `Provision an NHS login account - ${serviceName}`,
    `<h1>Provision an NHS login account</h1>
<form method="post" action="/staff/provision">
${field("nhsNumber", "NHS number", "10 digits")}
${field("email", "Email address", "the patient's own")}
${field("dateOfBirth", "Date of birth", "DD/MM/YYYY")}
${field("phoneNumber", "Mobile number", "07... or with its country code")}
<button type="submit">Provision account</button>
</form>`,
  );
}

/** What staff are told after a provisioning request: this service's words, never NHS login's descriptions (PA-21). */
export function provisionResultPage(serviceName: string, result: { outcome: string; message: string }): string {
  const title = result.outcome === "error" ? "The account was not provisioned" : "Account provisioned";
  return layout(
    `${title} - ${serviceName}`,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(result.message)}</p>
<p><a href="/staff/provision">Provision another account</a></p>`,
  );
}
