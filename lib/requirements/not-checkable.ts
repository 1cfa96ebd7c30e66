/**
 * The catalogue requirements that no automated harness can check, each with the reason, as data. A row belongs here only
 * when none of the harness's targets (an NHS login environment or the simulator over HTTP, a service driven through the
 * simulator, or tokens and payloads captured from real flows) could ever give an observation that confirms or refutes it:
 * descriptive notes, organisational or onboarding duties, NHS login back-office behaviour, native-app or device internals
 * and secret storage on the partner's side. Being hard to automate is not enough. The conformance statement shows these
 * rows as "not checkable" rather than "not yet checked", and a row that any check cites must not appear here (a test holds
 * this).
 *
 * @example
 * ```ts
 * NOT_CHECKABLE["GPIC-02"] // "IM1 enablement is an accreditation status granted at production onboarding, ..."
 * ```
 */
export const NOT_CHECKABLE: Readonly<Record<string, string>> = Object.freeze({
  "FED-UI-10":
    "Setting the flag from a PDS match and then freezing it happen inside NHS login against records the harness cannot change, " +
    "and how a service weighs the flag in its own decisions leaves no trace on the wire.",
  "SSO-13":
    "It describes what NHS login's own account settings pages offer users (including PDS updates made in its back office), " +
    "which places no duty on a service and is not part of any interface under test.",
  "SESSION-03":
    "Whether a service's own extra sign-in step reaches AAL2 is an assurance judgement about its authenticators " +
    "(how secrets are bound, stored and throttled) that neither its pages nor its traffic can settle.",
  "KEY-04":
    "How the partner keeps its private key at rest (encrypted file, HSM or KMS) cannot be seen from outside, " +
    "because a correctly signed assertion looks the same whatever the storage.",
  "NHSNO-04":
    "It records faulty check digits in the specifications' own example NHS numbers, a fact about the documents " +
    "rather than about the behaviour of NHS login or a service.",
  "FIDO-13":
    "It is background on what WebView-based native apps can do with passkeys, which shows only inside an app on a device " +
    "and in no traffic the harness receives.",
  "APP-01":
    "Whether a native app opens NHS login in the system browser or an embedded WebView is decided inside the app on the device, " +
    "and the requests that reach the harness carry a user agent the app can set to anything.",
  "APP-02":
    "It only gives the reasons behind APP-01 (password managers, passkeys and kept cookies in WebViews) and has no behaviour to observe.",
  "GPIC-01":
    "The rule is about the purpose a partner puts linkage keys to, and the traffic is identical whether the login is its real sign-in " +
    "or a one-off way of collecting keys.",
  "GPIC-02":
    "IM1 enablement is an accreditation status granted at production onboarding, which nothing in a service's requests or responses shows.",
  "GPIC-06":
    "Telling NHS login about processes that expire or revoke linkage keys is a disclosure between organisations, " +
    "made outside any flow the harness can watch.",
  "UEV2-GEN-04":
    "It is a framing note that SCIM conventions apply except where NHS login departs from them, so no response could contradict it; " +
    "the concrete request and response shapes are separate UEV2 rows.",
  "CONSENT-01":
    "It describes when NHS login's own pages ask for consent (a new level, a first sign-in to a service, more information), " +
    "which happens inside NHS login; what a service sees of a refusal, an access_denied error, is judged under FED-ARESP-11.",
  "FIDO-01":
    "It is background on what NHS login offers native apps (FIDO UAF with the code flow, passkeys); whether an environment " +
    "offers FIDO UAF is judged from its discovery document under FED-DISC-04, and the message rules are FIDO-02..12.",
  "SCOPE-16":
    "It is a note about sandpit's test data (no PDS behind it, so PDS-sourced claims such as given_name are not released there), " +
    "telling testers not to fail a service for their absence; it asks nothing of NHS login's or a service's behaviour.",
  "PA-22":
    "It describes patient eligibility and the later claim journey (emailed link, SMS code to the patient's phone, PDS re-check, " +
    "password set-up), which run in NHS login's back office and on the patient's devices, not through the provisioning API.",
});
