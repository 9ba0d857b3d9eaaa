// Starts a release server of the test's own, on its own fresh database, for specs that must
// restart it or edit its database behind its back.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

export class OwnServer {
  private child: ChildProcess | null = null;

  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  static fresh(port: number, name: string): OwnServer {
    const dataDir = path.join(root, 'target', `e2e-data-${name}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return new OwnServer(port, dataDir);
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get databasePath(): string {
    return path.join(this.dataDir, 'market.sqlite3');
  }

  /** Starts the server and resolves once its health check answers. */
  async start(): Promise<void> {
    const binary = path.join(root, 'target', 'release', 'market-server');
    this.child = spawn(
      binary,
      ['serve', '--addr', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, '--dist', path.join(root, 'dist')],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.baseURL}/api/health`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server on ${this.port} did not start`);
  }

  /** Stops the server and waits until the process has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}
