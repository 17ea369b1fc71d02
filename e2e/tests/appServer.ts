import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, "scripts", "e2e-server.sh");
const HEALTH = "/ml-workflow/api/health";
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 45_000;

/**
 * The app on a port of its own, for a test that must stop, crash or restart the server
 * (the suite's shared server cannot be touched). Each start runs `e2e-server.sh` in a
 * new process group, so a stop reaches the API process and its worker processes at
 * once. The data directory outlives a stop, so a second start finds the same jobs;
 * `dispose` stops the server and removes it.
 */
export class AppServer {
  readonly origin: string;
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly settings: Record<string, string>,
    private readonly logPath: string,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
  }

  /** A server not yet started; `settings` are extra `ML_WORKFLOW_*` variables. */
  static async create(
    port: number,
    settings: Record<string, string>,
    logPath: string,
  ): Promise<AppServer> {
    const dataDir = await mkdtemp(join(tmpdir(), "ml-workflow-e2e-own-"));
    return new AppServer(port, dataDir, settings, logPath);
  }

  async start(): Promise<void> {
    if (this.process !== null) {
      throw new Error(`The server on port ${this.port} is already running`);
    }
    if (await this.answers()) {
      throw new Error(`Something already answers on port ${this.port}`);
    }

    const log = openSync(this.logPath, "a");
    const child = spawn("bash", [SCRIPT], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", log, log],
      env: {
        ...process.env,
        ...this.settings,
        ML_WORKFLOW_E2E_PORT: String(this.port),
        ML_WORKFLOW_E2E_DATA_DIR: this.dataDir,
      },
    });
    closeSync(log);
    this.process = child;
    let exitCode: number | string | null = null;
    this.exited = new Promise((done) => {
      child.once("exit", (code, signal) => {
        exitCode = code ?? signal;
        done();
      });
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await this.answers())) {
      if (exitCode !== null) {
        this.process = null;
        throw new Error(
          `The server exited (${exitCode}) before it answered; see its log`,
        );
      }
      if (Date.now() > deadline) {
        await this.stop("SIGKILL");
        throw new Error(`The server did not answer within ${START_TIMEOUT_MS} ms`);
      }
      await sleep(250);
    }
  }

  /**
   * Signals the whole process group: SIGTERM shuts down as an operator would, SIGKILL
   * is a crash. Returns once the script has exited and the port no longer answers.
   */
  async stop(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const child = this.process;
    if (child === null || child.pid === undefined) {
      return;
    }

    signalGroup(child.pid, signal);
    const stopped = await Promise.race([
      this.exited.then(() => true),
      sleep(STOP_TIMEOUT_MS).then(() => false),
    ]);
    if (!stopped) {
      signalGroup(child.pid, "SIGKILL");
      await this.exited;
    }
    this.process = null;

    const deadline = Date.now() + 10_000;
    while ((await this.answers()) && Date.now() < deadline) {
      await sleep(200);
    }
  }

  async dispose(): Promise<void> {
    try {
      await this.stop("SIGTERM");
    } finally {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.origin}${HEALTH}`, {
        signal: AbortSignal.timeout(2_000),
      });
      return response.ok;
    } catch {
      return false;
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // The group is already gone.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") {
      throw error;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
