import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../lib/http/is-loopback-host.ts";

describe("isLoopbackHost, the one loopback predicate", () => {
  it.each(["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "LOCALHOST"])("%s is loopback", (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(["128.0.0.1", "127.0.0", "10.0.0.1", "[::2]", "localhost.example", "auth.login.nhs.uk", "127.0.0.1.nip.io"])("%s is not", (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
  it("agrees with WHATWG URL's normalised forms", () => {
    expect(isLoopbackHost(new URL("http://[0:0:0:0:0:0:0:1]:80/").hostname)).toBe(true);
    expect(isLoopbackHost(new URL("http://2130706433/").hostname)).toBe(true); // 127.0.0.1 as a number
  });
});
