import { spawn } from "node:child_process";

/**
 * Run the simulator CLI (`npm run simulator`) with `args` and only `env` (plus PATH and HOME=`home`)
 * until it prints its banner (or exits), then hand back its output and a way to stop it. `stderr()`
 * is all it wrote there so far, after the banner too.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  home: string,
): Promise<{
  out: string;
  err: string;
  stderr: () => string;
  code: number | null;
  pid: number;
  stop: () => Promise<number | null>;
  /** Its exit code, whenever it exits. */
  exit: Promise<number | null>;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/simulator/cli.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`simulator CLI did not start in time:\n${out}\n${err}`));
    }, 20_000);
    const stop = () =>
      new Promise<number | null>((r) => {
        child.once("exit", (code) => r(code));
        child.kill("SIGTERM");
      });
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("Press Ctrl+C")) {
        clearTimeout(timer);
        resolve({ out, err, stderr: () => err, code: null, pid: child.pid!, stop, exit });
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ out, err, stderr: () => err, code, pid: child.pid ?? 0, stop: async () => code, exit });
    });
  });
}
