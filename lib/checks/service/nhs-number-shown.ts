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
import { nhsNumberShownAs } from "../../nhs/nhs-number.ts";
import type { PersonSignInResult } from "./scenarios.ts";

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
  const [whole, cut] = [nhsNumberShownAs(nhsNumber), nhsNumberShownAs(lost)];
  const intact: string[] = [];
  for (const s of r.shown) {
    const where = `${s.script ? "the answer to the page's script from" : "the page at"} ${new URL(s.url).pathname}`;
    // A page's text, and the values of its form fields (an NHS number may sit in an input).
    const page = s.script ? undefined : readPage(s.body, new URL(s.url));
    const text = page ? [page.text, ...page.forms.flatMap((f) => Object.values(f.fields))].join("\n") : s.body;
    if (cut.test(text))
      return [
        finding(
          "NHSNO-03",
          "failed",
          `${where} shows ${lost} where NHS login sent the NHS number ${nhsNumber}: ` +
            "the leading zero was lost, so the number went through a numeric type",
          { expected: nhsNumber, actual: lost },
        ),
      ];
    if (whole.test(text)) intact.push(where);
  }
  if (intact.length > 0)
    return [finding("NHSNO-03", "passed", `${intact.join(" and ")} show(s) the NHS number ${nhsNumber} as sent, leading zero kept`)];
  return [
    finding(
      "NHSNO-03",
      "inconclusive",
      `neither ${nhsNumber} nor ${lost} appeared in the ${r.shown.length} page(s) and answer(s) of the service after sign-in, ` +
        `so whether it keeps the NHS number as a string was not seen`,
    ),
  ];
}
