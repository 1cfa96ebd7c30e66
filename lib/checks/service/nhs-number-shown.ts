/**
 * NHSNO-03: NHS numbers are kept as strings end to end. Signed in as a person whose NHS number
 * starts with a zero, the service must show (or hand its pages) the same ten digits, never the
 * nine left when the number went through a numeric type. Digits may be grouped by spaces or
 * hyphens ("012 345 6789").
 *
 * @example
 * ```ts
 * nhsNumberShownFindings(await personSignIn(ctx, "p9-zero"), "0123456789")
 * ```
 */
import { readPage } from "../../driver/index.ts";
import { finding, type Finding } from "../../requirements/index.ts";
import type { PersonSignInResult } from "./scenarios.ts";

/** A run of 9 to 12 digits, possibly grouped by single spaces or hyphens, not inside a longer run. */
const DIGIT_RUN = /(?<![\d])\d(?:[ -]?\d){8,11}(?![\d])/g;

/** The digit runs of `text`, separators removed. */
function digitRuns(text: string): string[] {
  return [...text.matchAll(DIGIT_RUN)].map((m) => m[0].replace(/[ -]/g, ""));
}

export function nhsNumberShownFindings(r: Pick<PersonSignInResult, "journey" | "shown">, nhsNumber: string): Finding[] {
  if (!r.journey.callback)
    return [
      finding(
        "NHSNO-03",
        "inconclusive",
        `no sign-in as the person with NHS number ${nhsNumber} reached the service's redirect URI, so nothing it showed could be judged` +
          (r.journey.notReached ? ` (${r.journey.notReached})` : ""),
      ),
    ];
  const lost = nhsNumber.replace(/^0+/, "");
  const intact: string[] = [];
  for (const s of r.shown) {
    const where = `${s.script ? "the answer to the page's script from" : "the page at"} ${new URL(s.url).pathname}`;
    const text = s.script ? s.body : readPage(s.body, new URL(s.url)).text;
    const runs = digitRuns(text);
    if (runs.includes(lost))
      return [
        finding(
          "NHSNO-03",
          "failed",
          `${where} shows ${lost} where NHS login sent the NHS number ${nhsNumber}: ` +
            "the leading zero was lost, so the number went through a numeric type",
          { expected: nhsNumber, actual: lost },
        ),
      ];
    if (runs.includes(nhsNumber)) intact.push(where);
  }
  if (intact.length > 0)
    return [finding("NHSNO-03", "passed", `${intact.join(" and ")} show(s) the NHS number ${nhsNumber} as sent, leading zero kept`)];
  return [
    finding(
      "NHSNO-03",
      "inconclusive",
      `the service showed no NHS number after sign-in (looked at ${r.shown.length} page(s) and answer(s) of its own), ` +
        `so whether it keeps ${nhsNumber} as a string was not seen`,
    ),
  ];
}
