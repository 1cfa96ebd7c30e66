/**
 * `npm run reference-service`: start the reference service with the settings in the environment
 * (and `.env`; variables already set win). Prints the address it serves once it is ready.
 */
import { config as loadDotenv } from "dotenv";
import { loadSettings, SettingsError } from "./settings.ts";
import { createNhsLogin, discoverLazily } from "./oidc.ts";
import { buildApp } from "./app.ts";
import { provisionTestOnly, testOnlyOverrides, usersV2TestOnly } from "./unsafe.ts";
import { createAccountProvisioner } from "./provision-account.ts";
import { createUsersV2Lookup } from "./users-v2.ts";

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const settings = loadSettings(process.env);
  if (settings.unsafe) process.stderr.write(`WARNING: REFERENCE_SERVICE_UNSAFE=${settings.unsafe} switches a safeguard off (test only)\n`);
  const nhsLogin = discoverLazily(() => createNhsLogin(settings, testOnlyOverrides(settings.unsafe, { clientId: settings.clientId })));
  const usersV2 = createUsersV2Lookup(
    {
      issuer: settings.issuer,
      clientId: settings.clientId,
      privateKey: settings.privateKey,
      scopes: settings.usersScopes,
      timeoutMs: settings.usersTimeoutMs,
      backoffMs: settings.usersBackoffMs,
    },
    usersV2TestOnly(settings.unsafe, settings.usersScopes),
  );
  const provisioner = settings.odsCode
    ? createAccountProvisioner(
        {
          issuer: settings.issuer,
          clientId: settings.clientId,
          privateKey: settings.privateKey,
          odsCode: settings.odsCode,
          ...(settings.provisionUrl ? { provisionUrl: settings.provisionUrl } : {}),
          timeoutMs: settings.provisionTimeoutMs,
          backoffMs: settings.provisionBackoffMs,
        },
        provisionTestOnly(settings.unsafe),
      )
    : undefined;
  const app = await buildApp(settings, nhsLogin, undefined, usersV2, provisioner);
  await app.listen({ host: settings.host, port: settings.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : settings.port;
  process.stdout.write(
    `reference service listening on http://${settings.host}:${port} ` +
      `(public address ${settings.baseUrl}, redirect URI ${settings.redirectUri})\n`,
  );
  const stop = () => void app.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof SettingsError ? err.message : `reference service failed to start: ${(err as Error)?.message ?? String(err)}`}\n`,
  );
  process.exit(1);
});
