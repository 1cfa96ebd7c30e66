export { createAssertedLoginIdentity, type AssertedLoginIdentityOptions } from "./create-asserted-login-identity.ts";
export { createClientAssertion, type ClientAssertionOptions } from "./create-client-assertion.ts";
export { decodeJwtSafely, type DecodedJwt } from "./decode-jwt.ts";
export { generateRsaKeyPair, type RsaKeyPairOptions } from "./generate-rsa-key.ts";
