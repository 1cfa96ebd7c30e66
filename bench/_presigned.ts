/**
 * Token requests whose client assertions are signed before a round starts, for figure 10. The
 * load generator then makes no RS512 signature per request, so it takes little of the machine
 * and each server's CPU per request is measured with the machine to itself. Every form carries an
 * assertion of its own (new `jti`, 60 s), so the servers still verify and replay-check each one.
 *
 * @example
 * ```ts
 * const forms = new PresignedForms(() => usersV2TokenForm(target))
 * await forms.fill(30_000)               // before the round
 * await postTokenForm(agent, url, "/token", forms.take(), "token")
 * ```
 */

/** Assertions signed at the same time while filling (they go to libuv's pool through WebCrypto). */
const SIGNING_AT_ONCE = 16;

export class PresignedForms {
  private forms: string[] = [];

  constructor(private readonly make: () => Promise<string>) {}

  /**
   * Drop what is left from the last round and make `count` new forms, so that every assertion is
   * at most a round old (its 60 s outlast the signing and the round).
   */
  async fill(count: number): Promise<void> {
    const forms: string[] = [];
    const lane = async () => {
      while (forms.length < count) forms.push(await this.make());
    };
    await Promise.all(Array.from({ length: SIGNING_AT_ONCE }, lane));
    this.forms = forms.slice(0, count);
  }

  /** The next unused form; throws once a round has used them all (the figure then shows errors). */
  take(): string {
    const form = this.forms.pop();
    if (form === undefined) throw new Error("out of pre-signed token requests for this round");
    return form;
  }
}
