/**
 * Artefacts: tokens and answers captured from a real flow (ARTEFACTS_DIR), validated offline with
 * the environment rules: signatures, claims against expected.json, schemas. See docs/artefacts.md.
 */
import { artefactSuite } from "./_support.ts";
import { ARTEFACT_CHECKS } from "../../lib/artefacts/checks.ts";

artefactSuite("Captured artefacts", ARTEFACT_CHECKS);
