/**
 * The public key rules of lib/checks/rules/public-key.ts (KEY-01, KEY-02, KEY-03) on crafted PEM.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keySizeFindings, publicKeyFileFindings } from "../../../lib/checks/rules/public-key.ts";

const rsa = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits });
const spki = (k: ReturnType<typeof rsa>) => String(k.publicKey.export({ type: "spki", format: "pem" }));
const k2048 = rsa(2048);
const pairs = (text: string) => publicKeyFileFindings(text, "key.pem").map((f) => [f.requirement, f.status, f.message]);

describe("keySizeFindings (KEY-01)", () => {
  it("passes RSA 2048, warns above, fails below and for another key type", () => {
    expect(keySizeFindings(k2048.publicKey, "the key")).toEqual([
      { requirement: "KEY-01", status: "passed", message: "the key is RSA 2048" },
    ]);
    expect(keySizeFindings(rsa(3072).publicKey, "the key")[0]).toMatchObject({
      status: "warning",
      message: "the key has 3072 bits; NHS login asks for 2048",
    });
    expect(keySizeFindings(rsa(1024).publicKey, "the key")[0]).toMatchObject({
      status: "failed",
      message: "the key has 1024 bits; at least 2048 required",
    });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
    expect(keySizeFindings(ec, "the key")[0]).toMatchObject({ status: "failed", message: "the key is ec; NHS login requires RSA" });
  });
});

describe("publicKeyFileFindings (KEY-02, KEY-03)", () => {
  it("passes one SubjectPublicKeyInfo block of RSA 2048", () => {
    expect(pairs(spki(k2048))).toEqual([
      ["KEY-03", "passed", "key.pem holds no PEM private key block"],
      ["KEY-02", "passed", "key.pem is one PEM SubjectPublicKeyInfo block"],
      ["KEY-01", "passed", "the key in key.pem is RSA 2048"],
    ]);
  });

  it("fails a private key beside the public one (KEY-03) and the extra block (KEY-02)", () => {
    const both = `${spki(k2048)}${String(k2048.privateKey.export({ type: "pkcs1", format: "pem" }))}`;
    expect(pairs(both)).toEqual([
      ["KEY-03", "failed", "key.pem holds a RSA PRIVATE KEY block: only the public key is sent to NHS login"],
      [
        "KEY-02",
        "failed",
        "key.pem has the blocks BEGIN PUBLIC KEY, BEGIN RSA PRIVATE KEY, " +
          "expected one -----BEGIN PUBLIC KEY----- block (SubjectPublicKeyInfo)",
      ],
    ]);
  });

  it("fails a PKCS#1 public key, text with no PEM block, and a PUBLIC KEY block that does not parse", () => {
    const pkcs1 = String(k2048.publicKey.export({ type: "pkcs1", format: "pem" }));
    expect(pairs(pkcs1)[1]).toEqual([
      "KEY-02",
      "failed",
      "key.pem has the blocks BEGIN RSA PUBLIC KEY, expected one -----BEGIN PUBLIC KEY----- block (SubjectPublicKeyInfo)",
    ]);
    expect(pairs("ssh-rsa AAAAB3NzaC1yc2E user@host")[0]).toEqual([
      "KEY-03",
      "inconclusive",
      "key.pem has no PEM block, so what key material it holds was not judged",
    ]);
    expect(pairs("ssh-rsa AAAAB3NzaC1yc2E user@host")[1]).toEqual([
      "KEY-02",
      "failed",
      "key.pem has no PEM block, expected one -----BEGIN PUBLIC KEY----- block (SubjectPublicKeyInfo)",
    ]);
    const broken = pairs("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    expect(broken[1]![1]).toBe("failed");
    expect(broken[1]![2]).toMatch(/^key\.pem's PUBLIC KEY block does not parse as SubjectPublicKeyInfo/);
    expect(broken).toHaveLength(2);
  });

  it("fails two public key blocks", () => {
    expect(pairs(`${spki(k2048)}${spki(k2048)}`)[1]![2]).toMatch(/has the blocks BEGIN PUBLIC KEY, BEGIN PUBLIC KEY, expected one/);
  });
});
