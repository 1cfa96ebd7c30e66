/**
 * Findings about the service's step-up from P5 to P9 (docs: step-up-p5-p9; EIS §5.1.6.3):
 *
 * - VOT-11: a P5 session is never served the feature for P9 users;
 * - STEPUP-02: it is sent to NHS login with a new authentication request whose vtr holds P9
 *   vectors only, with a fresh state and nonce;
 * - STEPUP-05: after a step-up of the same person the session moves to P9 (the feature is
 *   served), and a step-up that returns another person does not raise the session;
 * - VOT-13: the step-up's vot is checked against that request's own vtr: P5 coming back for a
 *   P9-only request raises nothing, though P5 vectors are registered.
 *
 * @example
 * ```ts
 * stepUpRequestFindings(await stepUp(ctx, "uplift"), ctx.target.vtr)
 * stepUpOtherPersonFindings(await stepUp(ctx, "other-person"))
 * stepUpVotFindings(await stepUp(ctx, "vot-below"))
 * ```
 */
import { deviationStatus, finding, type Finding } from "../../requirements/index.ts";
import { parseVtr } from "../../nhs/vot.ts";
import { nhsNumberShownAs } from "../../nhs/nhs-number.ts";
import { type FeatureRevisit, personMarkers, STEP_UP_PERSONS, type StepUpResult } from "./step-up-scenario.ts";

type Status = Finding["status"];

/** Why nothing could be judged, or undefined when the step-up ran. */
function unseen(r: StepUpResult, registered: readonly string[]): { status: Status; why: string } | undefined {
  const p5 = registered.some((v) => v.startsWith("P5."));
  if (!p5)
    return {
      status: "skipped",
      why: `not applicable: the registered vtr ${JSON.stringify(registered)} has no P5 vector, so no P5 user signs in to step up`,
    };
  if (!r.journey.callback)
    return {
      status: "inconclusive",
      why:
        "the sign-in as a P5 person did not reach the service's redirect URI, so no step-up could start" +
        (r.journey.notReached ? ` (${r.journey.notReached})` : ""),
    };
  if (!r.before) return { status: "inconclusive", why: "the feature for P9 users was not opened" };
  if (r.before.error) return { status: "inconclusive", why: `the feature for P9 users gave no answer: ${r.before.error}` };
  return undefined;
}

const path = (url: string) => new URL(url).pathname;

/** STEPUP-02 and VOT-11 from the P5 session's visit to the feature; STEPUP-05's first half from the uplift. */
export function stepUpRequestFindings(r: StepUpResult, registered: readonly string[]): Finding[] {
  const ids = ["STEPUP-02", "VOT-11", "STEPUP-05"];
  const blocked = unseen(r, registered);
  if (blocked) return ids.map((id) => finding(id, blocked.status, blocked.why));
  const before = r.before!;
  const at = `GET ${path(before.url)} by a person signed in at P5`;
  const out: Finding[] = [];
  if (!before.request) {
    const page = before.page!;
    const where = `HTTP ${page.status} at ${page.path}`;
    const served = page.status < 300 && page.path === path(before.url);
    out.push(
      served
        ? finding("VOT-11", "failed", `${at} answered ${where}, offering no step-up: a feature for P9 users must not be served at P5`, {
            actual: where,
          })
        : finding("VOT-11", "passed", `${at} was not served: it answered ${where}`),
      finding(
        "STEPUP-02",
        "failed",
        `${at} answered ${where} and never sent the browser to NHS login: a P5 user reaching a P9 feature must be offered ` +
          "a step-up (a new authentication request with P9 vectors only)",
        { actual: where },
      ),
      finding("STEPUP-05", "inconclusive", "no step-up was started, so what a step-up does to the session was not seen"),
    );
    return out;
  }
  const req = before.request;
  const how = before.via ? `, through the page's control (${before.via})` : "";
  out.push(finding("VOT-11", "passed", `${at} was not served: the service sent the browser to NHS login${how}`));
  out.push(...requestFindings(r, at));
  out.push(upliftFinding(r, req.params.vtr));
  return out;
}

/** STEPUP-02 on the step-up request itself: P9 vectors only, a fresh state and nonce. */
function requestFindings(r: StepUpResult, at: string): Finding[] {
  const req = r.before!.request!;
  const evidence = { actual: req.params.vtr ?? "(no vtr)", exchange: `GET ${path(req.url)}` };
  let vectors: string[];
  try {
    if (req.params.vtr === undefined) throw new Error("no vtr parameter (NHS login then assumes P9.Cp.Cd)");
    vectors = parseVtr(req.params.vtr).map((v) => v.raw);
  } catch (err) {
    return [finding("STEPUP-02", "failed", `the step-up request of ${at} has no vtr of P9 vectors: ${(err as Error).message}`, evidence)];
  }
  const out: Finding[] = [];
  const below = vectors.filter((v) => !v.startsWith("P9."));
  if (below.length > 0)
    out.push(
      finding(
        "STEPUP-02",
        "failed",
        `the step-up request of ${at} asks for vtr ${req.params.vtr}: ${below.join(", ")} would let NHS login answer below P9`,
        evidence,
      ),
    );
  const first = r.journey.authorization?.params ?? {};
  for (const name of ["state", "nonce"] as const) {
    const value = req.params[name];
    if (value === undefined) out.push(finding("STEPUP-02", "failed", `the step-up request of ${at} has no ${name}`, evidence));
    else if (value === first[name])
      out.push(finding("STEPUP-02", "failed", `the step-up request of ${at} reuses the first sign-in's ${name}`, evidence));
  }
  if (out.length === 0)
    out.push(
      finding("STEPUP-02", "passed", `the step-up request of ${at} asks for ${req.params.vtr} (P9 only), with a fresh state and nonce`),
    );
  return out;
}

/** What the feature showed after the step-up, for messages. */
function revisited(after: FeatureRevisit | undefined, url: string): string {
  if (!after) return "it was not opened again";
  if (after.sentToSignIn) return `GET ${path(url)} sent the browser to NHS login again`;
  if (after.error) return `GET ${path(url)} gave no answer (${after.error})`;
  return `GET ${path(url)} answered HTTP ${after.page!.status} at ${after.page!.path}`;
}

/** The feature served after the step-up (a 2xx other than the page offering the step-up). */
function served(r: StepUpResult): boolean {
  const page = r.after?.page;
  if (!page || page.status >= 300) return false;
  const offer = r.before?.page;
  return !(offer && offer.status === page.status && offer.text === page.text);
}

/** STEPUP-05, first half: after the same person's uplift to P9, the session is at P9. */
function upliftFinding(r: StepUpResult, vtr: string | undefined): Finding {
  const back = r.before!.callback;
  const step = `a step-up of the same person answered at P9 (for vtr ${vtr ?? "(none)"})`;
  if (!back) return finding("STEPUP-05", "inconclusive", `${step} never came back to the service's redirect URI`);
  const seen = revisited(r.after, r.before!.url);
  if (back.status >= 400)
    return finding("STEPUP-05", deviationStatus("STEPUP-05"), `the service refused ${step}: its callback answered HTTP ${back.status}`);
  return served(r)
    ? finding("STEPUP-05", "passed", `after ${step} the session moved to P9: ${seen}`)
    : finding("STEPUP-05", deviationStatus("STEPUP-05"), `after ${step} the session did not move to P9: ${seen}`, { actual: seen });
}

/** STEPUP-05, second half: a step-up that returns another person raises nobody's session. */
export function stepUpOtherPersonFindings(r: StepUpResult, registered: readonly string[]): Finding[] {
  const blocked = unseen(r, registered) ?? notStarted(r);
  if (blocked) return [finding("STEPUP-05", blocked.status, blocked.why)];
  const first = personMarkers(STEP_UP_PERSONS.first);
  const other = personMarkers(STEP_UP_PERSONS.other);
  const step = `a step-up answered by another person (sub ${other.sub}, not ${first.sub})`;
  const seen = revisited(r.after, r.before!.url);
  if (!served(r)) return [finding("STEPUP-05", "passed", `after ${step} the session was not raised: ${seen}`)];
  const text = r.after!.page!.text;
  // The person's given or family name, or NHS number (grouped or not), on the page.
  const shows = (p: typeof first) =>
    p.name.split(" ").some((m) => text.includes(m)) || (p.nhsNumber !== "" && nhsNumberShownAs(p.nhsNumber).test(text));
  if (shows(first))
    return [
      finding(
        "STEPUP-05",
        deviationStatus("STEPUP-05"),
        `after ${step} the feature for P9 users is served to the first person (${first.name}): ${seen}; ` +
          "the session must move to the new level only when the sub is unchanged",
        { expected: "refused, or a separate session for the other person", actual: seen },
      ),
    ];
  if (shows(other))
    return [
      finding("STEPUP-05", "passed", `after ${step} the service started a separate session for that person (${other.name}): ${seen}`),
    ];
  return [
    finding(
      "STEPUP-05",
      "inconclusive",
      `after ${step} the feature was served (${seen}), naming neither ${first.name} nor ${other.name}, so whose session it is was not seen`,
    ),
  ];
}

/** VOT-13: a step-up answered at P5 for a P9-only request raises nothing. */
export function stepUpVotFindings(r: StepUpResult, registered: readonly string[]): Finding[] {
  const blocked = unseen(r, registered) ?? notStarted(r);
  if (blocked) return [finding("VOT-13", blocked.status, blocked.why)];
  const step = `a step-up for vtr ${r.before!.request!.params.vtr ?? "(none)"} answered with a vot outside it (the same person, at P5)`;
  const seen = revisited(r.after, r.before!.url);
  return served(r)
    ? [
        finding(
          "VOT-13",
          deviationStatus("VOT-13"),
          `after ${step} the feature for P9 users is served: ${seen}; the vot must be checked against this request's vtr, ` +
            "not against every registered vector",
          { expected: "the feature refused, or NHS login asked again", actual: seen },
        ),
      ]
    : [finding("VOT-13", "passed", `after ${step} the session was not raised: ${seen}`)];
}

function notStarted(r: StepUpResult): { status: Status; why: string } | undefined {
  return r.before?.request
    ? undefined
    : { status: "inconclusive", why: `GET ${path(r.before!.url)} never sent the browser to NHS login, so no step-up could be answered` };
}
