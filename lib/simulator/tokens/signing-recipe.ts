/**
 * How the simulator signs an ID token, as data: the conformant recipe is RS512 with its own key
 * and `kid`; the signing faults of lib/simulator/faults.ts each change one part of it.
 *
 * @example
 * ```ts
 * const recipe: SigningRecipe = { ...CONFORMANT_SIGNING, key: "attacker", embed: "jku" }
 * ```
 */
export interface SigningRecipe {
  /** `none` sends an unsecured JWT; `HS256` uses the published public key as the HMAC secret. */
  alg: "RS512" | "RS256" | "HS256" | "none";
  /** Whose private key signs: the simulator's published one, or the attacker key it never publishes. */
  key: "signing" | "attacker" | "next";
  /** The `kid` header: the signing key's own, or one no JWKS holds. */
  kid: "own" | "unknown";
  /** A header naming the signing key: the key itself (`jwk`), a JWKS URL (`jku`) or a certificate URL (`x5u`). */
  embed?: "jwk" | "jku" | "x5u";
  /** Flip signature bits after signing, so the token decodes but does not verify. */
  corrupt?: boolean;
  /** Header parameters beyond alg, typ and kid (ones a relying party must ignore, FED-JWT-04). */
  extraHeader?: Readonly<Record<string, unknown>>;
}

/** RS512 with the simulator's own key and kid (EIS §3.6). */
export const CONFORMANT_SIGNING: SigningRecipe = Object.freeze({ alg: "RS512", key: "signing", kid: "own" });
