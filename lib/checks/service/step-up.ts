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
  if (r.notSignedIn !== undefined) return { status: "inconclusive", why: `${r.notSignedIn}, so no step-up could start` };
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
  const evidence = { actual: req.params.vtr ?? "(no vtr)", exchange: `${req.method} ${path(req.url)}` };
  let vectors: ReturnType<typeof parseVtr>;
  try {
    if (req.params.vtr === undefined) throw new Error("no vtr parameter (NHS login then assumes P9.Cp.Cd)");
    vectors = parseVtr(req.params.vtr);
  } catch (err) {
    return [finding("STEPUP-02", "failed", `the step-up request of ${at} has no vtr of P9 vectors: ${(err as Error).message}`, evidence)];
  }
  const out: Finding[] = [];
  const below = vectors.filter((v) => v.proofing !== "P9").map((v) => v.raw);
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

/**
 * What the revisit after the step-up showed: the feature served (2xx at its own path, not the page
 * that offered the step-up, which still offers it), not served (sent to NHS login again, or an
 * error status, or the same offer), or nothing to judge (no answer, or a page elsewhere).
 */
function verdictOf(r: StepUpResult): "served" | "not served" | { unseen: string } {
  const after = r.after;
  const seen = revisited(after, r.before!.url);
  if (!after || after.error) return { unseen: `${seen}, so the session after the step-up was not seen` };
  if (after.sentToSignIn) return "not served";
  const page = after.page!;
  if (page.status >= 400) return "not served";
  if (page.status >= 300 || page.path !== path(r.before!.url))
    return { unseen: `${seen}, not the feature's own page, so whether the session holds P9 was not seen` };
  const offer = r.before!.page;
  const sameOffer =
    offer !== undefined &&
    ((r.before!.viaUrl !== undefined && after.offersUrl === r.before!.viaUrl) ||
      (offer.status === page.status && offer.text === page.text));
  return sameOffer ? "not served" : "served";
}

/** STEPUP-05, first half: after the same person's uplift to P9, the session is at P9. */
function upliftFinding(r: StepUpResult, vtr: string | undefined): Finding {
  const back = r.before!.callback;
  const step = `a step-up of the same person answered at P9 (for vtr ${vtr ?? "(none)"})`;
  if (!back) return finding("STEPUP-05", "inconclusive", `${step} never came back to the service's redirect URI`);
  const seen = revisited(r.after, r.before!.url);
  const answered = simulatorAnswer(r, []);
  if (answered) return finding("STEPUP-05", "inconclusive", answered);
  if (back.status >= 400)
    return finding(
      "STEPUP-05",
      deviationStatus("STEPUP-05"),
      `${step} did not complete: the service's callback answered HTTP ${back.status}`,
    );
  const verdict = verdictOf(r);
  if (typeof verdict === "object") return finding("STEPUP-05", "inconclusive", verdict.unseen);
  return verdict === "served"
    ? finding("STEPUP-05", "passed", `after ${step} the session moved to P9: ${seen}`)
    : finding("STEPUP-05", deviationStatus("STEPUP-05"), `after ${step} the session did not move to P9: ${seen}`, { actual: seen });
}

/** STEPUP-05, second half: a step-up that returns another person raises nobody's session. */
export function stepUpOtherPersonFindings(r: StepUpResult, registered: readonly string[]): Finding[] {
  const blocked = unseen(r, registered) ?? notStarted(r, []);
  if (blocked) return [finding("STEPUP-05", blocked.status, blocked.why)];
  const verdict = verdictOf(r);
  if (typeof verdict === "object") return [finding("STEPUP-05", "inconclusive", verdict.unseen)];
  const first = personMarkers(STEP_UP_PERSONS.first);
  const other = personMarkers(STEP_UP_PERSONS.other);
  const step = `a step-up answered by another person (sub ${other.sub}, not ${first.sub})`;
  const seen = revisited(r.after, r.before!.url);
  if (verdict === "not served") return [finding("STEPUP-05", "passed", `after ${step} the session was not raised: ${seen}`)];
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
  const blocked = unseen(r, registered) ?? notStarted(r, ["id-token-vot-outside-vtr"]);
  if (blocked) return [finding("VOT-13", blocked.status, blocked.why)];
  const step = `a step-up for vtr ${r.before!.request!.params.vtr ?? "(none)"} answered with a vot outside it (the same person)`;
  const seen = revisited(r.after, r.before!.url);
  const verdict = verdictOf(r);
  if (typeof verdict === "object") return [finding("VOT-13", "inconclusive", verdict.unseen)];
  return verdict === "served"
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

/** Why the step-up was not answered as armed (no request, no code, other faults, no way back), or undefined. */
function notStarted(r: StepUpResult, faults: readonly string[]): { status: Status; why: string } | undefined {
  if (!r.before?.request)
    return {
      status: "inconclusive",
      why: `GET ${path(r.before!.url)} never sent the browser to NHS login, so no step-up could be answered`,
    };
  const answered = simulatorAnswer(r, faults);
  if (answered) return { status: "inconclusive", why: answered };
  if (!r.before.callback) return { status: "inconclusive", why: "the step-up never came back to the service's redirect URI" };
  return undefined;
}

/** Why the simulator's answer to the step-up request is not the armed one (a code, with `faults`), or undefined. */
function simulatorAnswer(r: StepUpResult, faults: readonly string[]): string | undefined {
  const answer = r.before?.answer;
  if (!answer) return "the simulator saw no authorization request with the step-up's state, so how it was answered is not known";
  if (answer.outcome !== "code")
    return `the simulator did not answer the step-up request with a code (${answer.outcome}), so no step-up took place`;
  const missing = faults.filter((f) => !answer.faults.includes(f));
  if (missing.length > 0)
    return `the simulator answered the step-up without the armed ${missing.join(", ")}, so it was not the answer under test`;
  return undefined;
}
