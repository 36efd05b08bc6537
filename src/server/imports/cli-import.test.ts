import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, STRONG_PASSWORD } from '../../../test/factories.js';
import { runCli } from '../cli.js';

/** `custos import`: the JSON summary, a mapping file, a dry run, the error file, and resuming after the process was killed. */

let target: Awaited<ReturnType<typeof openTestDatabase>>;
beforeEach(async () => {
  target = await openTestDatabase();
  const created = await run(['create-admin', '--email', 'ops@example.com', '--password-stdin', '--workspace', 'Acme'], `${STRONG_PASSWORD}\n`);
  expect(created.code, created.stderr).toBe(0);
});
afterEach(async () => {
  await target.drop();
});

async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text), readStdin: async () => stdin, env: { ...target.env } });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function write(name: string, text: string): string {
  const file = path.join(target.dataDir, name);
  fs.writeFileSync(file, text);
  return file;
}

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('custos import', () => {
  it('prints imported, updated, rejected and duplicates; writes the rejected rows beside the file; a second run creates nobody', async () => {
    const file = write(
      'list.csv',
      ['手机;姓名;邮箱;城市', '13800138000;王芳;wang.fang@example.com;上海', '13900139000;李雷;li.lei@example.com;北京', '+86 138 0013 8000;王芳;wang.fang@example.com;上海', '12345;韩梅梅;han@example.com;广州'].join('\n'),
    );
    const dry = await run(['import', '--file', file, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(summaryOf(dry.stdout)).toMatchObject({ status: 'completed', dryRun: true, imported: 2, updated: 1, rejected: 1 });

    const first = await run(['import', '--file', file]);
    const summary = summaryOf(first.stdout);
    expect(summary).toMatchObject({ status: 'completed', dryRun: false, rows: 4, imported: 2, updated: 1, rejected: 1, duplicates: 0 });
    expect(typeof summary.seconds).toBe('number');
    const errors = fs.readFileSync(summary.errorsFile as string, 'utf8');
    expect(errors).toContain('12345;韩梅梅'.split(';').join(','));
    expect(errors).toContain('phone: ');

    const again = summaryOf((await run(['import', '--file', file])).stdout);
    expect(again).toMatchObject({ imported: 0, duplicates: 0, rejected: 1 });
  });

  it('takes a mapping file that overrides the automatic mapping, and refuses a wrong one before touching anything', async () => {
    const file = write('crm-export.csv', ['Full name,Contact,Member no', 'Ada Lovelace,ada@example.com,M-1', 'Alan Turing,alan@example.com,M-2'].join('\n'));
    const mapping = write('mapping.json', JSON.stringify({ matchBy: 'externalId', columns: { Contact: 'email', 'Member no': 'externalId', 'Full name': 'name' } }));
    const done = await run(['import', '--file', file, '--mapping', mapping]);
    expect(done.code, done.stderr).toBe(0);
    expect(summaryOf(done.stdout)).toMatchObject({ imported: 2, rejected: 0, errorsFile: null });
    const wrong = write('wrong.json', JSON.stringify({ columns: { Nope: 'email' } }));
    const refused = await run(['import', '--file', file, '--mapping', wrong]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Nope');
  });

  it('resumes after the process was killed, from the last committed batch, and creates each customer once', async () => {
    const rows = 6_000;
    const lines = ['name,email,phone'];
    for (let i = 0; i < rows; i++) lines.push(`Customer ${i},c${i}@example.com,+1 415 555 ${String(i % 10_000).padStart(4, '0')}`);
    const file = write('big.csv', lines.join('\n'));

    // A real process, killed (SIGKILL) once it reported progress: no chance to tidy up.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(path.resolve('src/server/cli.ts'))}).then(async (m) => process.exit(await m.runCli(process.argv.slice(1))))`, '--', 'import', '--file', file], {
      env: { ...process.env, ...target.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const done = [...stderr.matchAll(/import: (\d+)\//g)].map((m) => Number(m[1]));
        if (done.some((n) => n >= 1_000)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the import ended before it could be killed: ${stderr}`)));
    });
    await new Promise((resolve) => child.once('close', resolve));

    const resumed = await run(['import', '--file', file]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .* after row \d+/);
    const after = Number(/after row (\d+)/.exec(resumed.stderr)![1]);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(rows);
    expect(summaryOf(resumed.stdout)).toMatchObject({ status: 'completed', rows, imported: rows, rejected: 0 });
    const count = Number((await target.database.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(count).toBe(rows);
  }, 180_000);
});
