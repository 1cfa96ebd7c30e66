import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  CREDENTIALS,
  DEFAULT_VTR,
  DOCS_PROFILES,
  EIS_PROFILES,
  PROOFING_LEVELS,
  parseVector,
  parseVtr,
  proofingRank,
  VectorSyntaxError,
  votSatisfiesVtr,
} from "../../lib/nhs/vot.ts";
import { chooseVot } from "../../lib/simulator/sign-in.ts";
import { PERSONAS, type Persona } from "../../lib/simulator/personas.ts";

function persona(id: string): Persona {
  const p = PERSONAS.find((x) => x.id === id);
  if (!p) throw new Error(`no persona ${id}`);
  return p;
}

function syntaxError(fn: () => unknown): VectorSyntaxError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VectorSyntaxError);
    expect((err as VectorSyntaxError).code).toBe("ERR_VECTOR_SYNTAX");
    return err as VectorSyntaxError;
  }
  throw new Error("expected a VectorSyntaxError");
}

describe("constants (FED-AUTHZ-16, VOT-04)", () => {
  it("default vtr is the three P9 vectors", () => {
    expect([...DEFAULT_VTR]).toEqual(["P9.Cp.Cd", "P9.Cp.Ck", "P9.Cm"]);
  });

  it("EIS Table 21 has twelve profiles, the docs ones are a subset", () => {
    expect(new Set(EIS_PROFILES)).toEqual(
      new Set([
        "P0.Cp",
        "P0.Cp.Cd",
        "P0.Cp.Ck",
        "P0.Cm",
        "P5.Cp",
        "P5.Cp.Cd",
        "P5.Cp.Ck",
        "P5.Cm",
        "P9.Cp",
        "P9.Cp.Cd",
        "P9.Cp.Ck",
        "P9.Cm",
      ]),
    );
    expect(EIS_PROFILES).toHaveLength(12);
    for (const p of DOCS_PROFILES) expect(EIS_PROFILES).toContain(p);
  });

  it("ranks P0 < P5 < P9", () => {
    expect(proofingRank("P0")).toBeLessThan(proofingRank("P5"));
    expect(proofingRank("P5")).toBeLessThan(proofingRank("P9"));
  });
});

describe("parseVector (FED-AUTHZ-15, VOT-01, VOT-02)", () => {
  it("splits a vector into its proofing level and credentials", () => {
    expect(parseVector("P9.Cp.Cd")).toEqual({ proofing: "P9", credentials: ["Cp", "Cd"], raw: "P9.Cp.Cd" });
    expect(parseVector("Cm")).toEqual({ credentials: ["Cm"], raw: "Cm" });
    expect(parseVector("P5")).toEqual({ proofing: "P5", credentials: [], raw: "P5" });
  });

  it("keeps repeated credential components (VOT-02 allows repeats)", () => {
    expect(parseVector("P9.Cp.Cp").credentials).toEqual(["Cp", "Cp"]);
  });

  it("parses every EIS profile", () => {
    for (const v of EIS_PROFILES) expect(parseVector(v).raw).toBe(v);
  });

  it("refuses unknown components, including the spec example's Ca/Cc and P7", () => {
    for (const v of ["P9.Ca.Cc", "P7.Cp.Cd", "P9.Cx", "p9.cp", "P9.CP", "X"]) {
      expect(syntaxError(() => parseVector(v)).message).toMatch(/unknown component/);
    }
  });

  it("refuses two proofing components", () => {
    expect(syntaxError(() => parseVector("P9.P5.Cp")).message).toMatch(/more than one proofing level/);
    syntaxError(() => parseVector("P9.Cp.P9"));
  });

  it("refuses whitespace and empty components", () => {
    for (const v of ["P9.Cp.Cd ", " P9.Cp", "P9. Cp", "P9..Cp", "P9.Cp.", ".P9", ""]) syntaxError(() => parseVector(v));
  });

  it("refuses non-strings", () => {
    syntaxError(() => parseVector(42 as unknown as string));
    syntaxError(() => parseVector(undefined as unknown as string));
  });

  it("round-trips any well-formed vector", () => {
    const vector = fc
      .tuple(
        fc.option(fc.constantFrom(...PROOFING_LEVELS), { nil: undefined }),
        fc.array(fc.constantFrom(...CREDENTIALS), { maxLength: 4 }),
      )
      .filter(([p, c]) => p !== undefined || c.length > 0);
    fc.assert(
      fc.property(vector, ([p, creds]) => {
        const raw = [...(p ? [p] : []), ...creds].join(".");
        const parsed = parseVector(raw);
        expect(parsed.proofing).toBe(p);
        expect(parsed.credentials).toEqual(creds);
      }),
    );
  });
});

describe("parseVtr (FED-AUTHZ-15, VOT-03)", () => {
  it("parses a JSON array of vectors in order", () => {
    expect(parseVtr('["P9.Cp.Cd","P5.Cp.Cd"]').map((v) => v.raw)).toEqual(["P9.Cp.Cd", "P5.Cp.Cd"]);
  });

  it("refuses curly quotes (the EIS example's closing U+201D)", () => {
    expect(syntaxError(() => parseVtr('["P9.Cp.Cd\u201d]')).message).toMatch(/not valid JSON/);
    syntaxError(() => parseVtr("[\u201cP9.Cp.Cd\u201d]"));
  });

  it("refuses a value that is not a JSON array", () => {
    for (const v of ['"P9.Cp.Cd"', "P9.Cp.Cd", '{"0":"P9.Cp.Cd"}', "null", "9", ""]) syntaxError(() => parseVtr(v));
  });

  it("refuses an empty array", () => {
    expect(syntaxError(() => parseVtr("[]")).message).toMatch(/non-empty/);
  });

  it("refuses non-string members", () => {
    syntaxError(() => parseVtr('["P9.Cp.Cd", 9]'));
    syntaxError(() => parseVtr('[["P9.Cp.Cd"]]'));
    syntaxError(() => parseVtr("[null]"));
  });

  it("refuses a member with whitespace inside the string, but allows JSON whitespace around members", () => {
    syntaxError(() => parseVtr('["P9.Cp.Cd "]'));
    expect(parseVtr('[ "P9.Cp.Cd" , "P9.Cm" ]').map((v) => v.raw)).toEqual(["P9.Cp.Cd", "P9.Cm"]);
  });

  it("refuses a vtr with one bad vector among good ones", () => {
    syntaxError(() => parseVtr('["P9.Cp.Cd","P9.P5"]'));
    syntaxError(() => parseVtr('["P9.Cp.Cd","P9.Cz"]'));
  });
});

describe("votSatisfiesVtr (VOT-06)", () => {
  it("refuses the catalogue's three wrong answers to the default vtr", () => {
    expect(votSatisfiesVtr("P5.Cp.Cd", DEFAULT_VTR)).toBe(false);
    expect(votSatisfiesVtr("P9.Cp", DEFAULT_VTR)).toBe(false);
    expect(votSatisfiesVtr("P0.Cm", DEFAULT_VTR)).toBe(false);
  });

  it("accepts P9.Cp.Cd and P9.Cm for the default vtr", () => {
    expect(votSatisfiesVtr("P9.Cp.Cd", DEFAULT_VTR)).toBe(true);
    expect(votSatisfiesVtr("P9.Cm", DEFAULT_VTR)).toBe(true);
  });

  it("treats components left out of a requested vector as any value", () => {
    expect(votSatisfiesVtr("P9.Cm", ["P9"])).toBe(true);
    expect(votSatisfiesVtr("P0.Cp.Cd", ["Cp"])).toBe(true);
    expect(votSatisfiesVtr("P5.Cp.Cd", ["Cp.Cd"])).toBe(true);
    expect(votSatisfiesVtr("P5.Cp", ["Cp.Cd"])).toBe(false);
  });

  it("requires the proofing level itself, not merely a higher one", () => {
    expect(votSatisfiesVtr("P9.Cp.Cd", ["P5.Cp.Cd"])).toBe(false);
  });

  it("does not care about component order or extra components in the vot", () => {
    expect(votSatisfiesVtr("P9.Cd.Cp", ["P9.Cp.Cd"])).toBe(true);
    expect(votSatisfiesVtr("P9.Cp.Cd.Cm", ["P9.Cm"])).toBe(true);
  });

  it("ORs the vectors", () => {
    expect(votSatisfiesVtr("P5.Cp.Cd", ["P9.Cp.Cd", "P5.Cp.Cd"])).toBe(true);
  });

  it("never accepts an unparseable vot", () => {
    for (const vot of ["P7.Cp.Cd", "P9.Ca.Cc", "", "P9.Cp.Cd ", "P9.P9.Cm"]) expect(votSatisfiesVtr(vot, ["Cp"]), vot).toBe(false);
  });

  it("accepts parsed vectors as well as strings", () => {
    expect(votSatisfiesVtr("P9.Cp.Cd", parseVtr('["P9.Cp.Cd"]'))).toBe(true);
  });

  it("a vector always satisfies a vtr holding only itself", () => {
    fc.assert(fc.property(fc.constantFrom(...EIS_PROFILES), (v) => votSatisfiesVtr(v, [v])));
  });
});

describe("chooseVot (VOT-06, VOT-09, FED-AUTHZ-16)", () => {
  const p9 = persona("p9");
  const p5 = persona("p5");
  const p0 = persona("p0");

  it("gives a P9 person a P9 vector for the default vtr, and it satisfies the vtr", () => {
    const vot = chooseVot(p9, DEFAULT_VTR);
    expect(vot).toBe("P9.Cp.Cd");
    expect(votSatisfiesVtr(vot!, DEFAULT_VTR)).toBe(true);
  });

  it("gives a P9 person the P9 vector when the vtr spans several levels", () => {
    expect(chooseVot(p9, ["P5.Cp.Cd", "P9.Cp.Cd"])).toBe("P9.Cp.Cd");
    expect(chooseVot(p9, ["P0.Cp", "P5.Cm", "P9.Cm"])).toBe("P9.Cm");
  });

  it("gives a P9 person a P5 vector for a P5-only vtr (VOT-09)", () => {
    const vot = chooseVot(p9, ["P5.Cp.Cd"]);
    expect(vot).toMatch(/^P5\./);
    expect(votSatisfiesVtr(vot!, ["P5.Cp.Cd"])).toBe(true);
  });

  it("gives a P5 person nothing for a P9 vtr", () => {
    expect(chooseVot(p5, ["P9.Cp.Cd"])).toBeUndefined();
    expect(chooseVot(p5, DEFAULT_VTR)).toBeUndefined();
  });

  it("gives a P0 person only P0 vectors", () => {
    expect(chooseVot(p0, ["P5.Cp.Cd"])).toBeUndefined();
    expect(chooseVot(p0, ["P0.Cp.Cd", "P5.Cp.Cd"])).toBe("P0.Cp.Cd");
  });

  it("gives nothing for a Ck-only request, since no persona holds Ck", () => {
    for (const p of PERSONAS) {
      expect(p.credentials).not.toContain("Ck");
      expect(chooseVot(p, [`${p.proofing}.Cp.Ck`])).toBeUndefined();
    }
  });

  it("gives nothing for a credential the person lacks (P5 has no Cm)", () => {
    expect(chooseVot(p5, ["P5.Cm"])).toBeUndefined();
  });

  it("fills in the person's level and credentials for vectors that leave them out", () => {
    const vot = chooseVot(p5, ["Cp"]);
    expect(vot).toBeDefined();
    expect(parseVector(vot!).proofing).toBe("P5");
    expect(votSatisfiesVtr(vot!, ["Cp"])).toBe(true);
    const bare = chooseVot(p9, ["P9"]);
    expect(bare).toBeDefined();
    expect(parseVector(bare!).credentials.length).toBeGreaterThan(0);
  });

  it("never returns a vot above the person's proofing level, and always one that satisfies the vtr", () => {
    const vtr = fc.uniqueArray(fc.constantFrom(...EIS_PROFILES), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.constantFrom(...PERSONAS), vtr, (p, requested) => {
        const vot = chooseVot(p, requested);
        if (vot === undefined) {
          // Nothing satisfiable: every requested vector is above the person or needs a credential they lack.
          for (const r of requested) {
            const v = parseVector(r);
            const reachable =
              proofingRank(v.proofing!) <= proofingRank(p.proofing) && v.credentials.every((c) => p.credentials.includes(c));
            expect(reachable, `${p.id} could present ${r}`).toBe(false);
          }
          return;
        }
        expect(votSatisfiesVtr(vot, requested)).toBe(true);
        expect(proofingRank(parseVector(vot).proofing!)).toBeLessThanOrEqual(proofingRank(p.proofing));
        for (const c of parseVector(vot).credentials) expect(p.credentials).toContain(c);
      }),
    );
  });
});
