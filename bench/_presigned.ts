/**
 * Token requests whose client assertions are signed before a round starts, for figure 10. The
 * load generator then makes no RS512 signature per request, so it takes little of the machine
 * and the server gets most of it (the generator still sends the HTTP). Every form carries an
 * assertion of its own (new `jti`, 60 s), so the servers still verify and replay-check each one.
 *
 * @example
 * ```ts
 * const forms = new PresignedForms(() => usersV2TokenForm(target))
 * await forms.fill(30_000)               // before the round
 * await postTokenForm(agent, url, "/token", await forms.take(), "token")
 * ```
 */

/** Assertions signed at the same time while filling (they go to libuv's pool through WebCrypto). */
const SIGNING_AT_ONCE = 16;

export class PresignedForms {
  private forms: string[] = [];
  /** Forms signed during the round because the round used them all (see {@link take}). */
  misses = 0;

  constructor(private readonly make: () => Promise<string>) {}

  /**
   * Drop what is left from the last round and make `count` new forms, so that no assertion is older
   * than this fill and the round after it (its 60 s outlast both). Resets {@link misses}.
   */
  async fill(count: number): Promise<void> {
    this.misses = 0;
    const forms: string[] = [];
    const lane = async () => {
      while (forms.length < count) forms.push(await this.make());
    };
    await Promise.all(Array.from({ length: SIGNING_AT_ONCE }, lane));
    this.forms = forms.slice(0, count);
  }

  /**
   * The next unused form (the youngest first). Once a round has used them all, each further form
   * is signed now, by the load generator, and counted in {@link misses}: the round's figures then
   * include that signing, and its note says how often.
   */
  async take(): Promise<string> {
    const form = this.forms.pop();
    if (form !== undefined) return form;
    this.misses += 1;
    return this.make();
  }
}
