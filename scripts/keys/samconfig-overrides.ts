// Reads and rewrites `parameter_overrides` of one samconfig.toml environment ([<env>.deploy.parameters]),
// changing only the values asked for: every other line, comment and parameter stays as written. This is where
// a plain `sam deploy` reads parameter values, so it is where the key slots must live (values passed with
// --parameter-overrides on the command line are used once and forgotten; they also replace this list whole).
//
// Format: a TOML basic string holding SAM's `Key=Value` pairs separated by spaces, values optionally in double
// quotes, e.g. parameter_overrides = "StageName=\"v1\" KeyAState=\"active\"".

export class SamconfigError extends Error {
  override readonly name = 'SamconfigError';
}

interface Located {
  /** Index of the parameter_overrides line, or of the last line of the section when there is none. */
  line: number;
  found: boolean;
  pairs: [string, string][];
}

const LINE = /^(\s*parameter_overrides\s*=\s*)("(?:[^"\\]|\\.)*")(\s*(?:#.*)?)$/;

export function readParameterOverrides(toml: string, env = 'default'): Record<string, string> {
  return Object.fromEntries(locate(toml.split(/\r?\n/), env).pairs);
}

export function setParameterOverrides(toml: string, updates: Record<string, string>, env = 'default'): string {
  const newline = toml.includes('\r\n') ? '\r\n' : '\n';
  const lines = toml.split(/\r?\n/);
  const located = locate(lines, env);
  const pairs = [...located.pairs];
  for (const [key, value] of Object.entries(updates)) {
    const existing = pairs.find(([name]) => name === key);
    if (existing) existing[1] = value;
    else pairs.push([key, value]);
  }
  const encoded = tomlString(pairs.map(([key, value]) => `${key}=${samValue(value)}`).join(' '));
  if (located.found) {
    const match = LINE.exec(lines[located.line]!)!;
    lines[located.line] = `${match[1]}${encoded}${match[3]}`;
  } else {
    lines.splice(located.line + 1, 0, `parameter_overrides = ${encoded}`);
  }
  return lines.join(newline);
}

function locate(lines: string[], env: string): Located {
  const wanted = `${env}.deploy.parameters`;
  let section = '';
  let sectionEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^\s*\[([^\]]+)\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      if (section === wanted) sectionEnd = i;
      continue;
    }
    if (section !== wanted) continue;
    if (line.trim() !== '' && !line.trim().startsWith('#')) sectionEnd = i;
    if (!/^\s*parameter_overrides\s*=/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) {
      throw new SamconfigError(
        `samconfig.toml [${wanted}] parameter_overrides must be one double-quoted string of Key=Value pairs (line ${i + 1})`,
      );
    }
    return { line: i, found: true, pairs: parsePairs(parseTomlString(match[2]!), i + 1) };
  }
  if (sectionEnd < 0) throw new SamconfigError(`samconfig.toml has no [${wanted}] section: run \`sam deploy --guided\` once first`);
  return { line: sectionEnd, found: false, pairs: [] };
}

function parseTomlString(literal: string): string {
  const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
  return literal.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_all, code: string) =>
    code.length === 5 ? String.fromCharCode(parseInt(code.slice(1), 16)) : (escapes[code] ?? code),
  );
}

function tomlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// SAM's own reading of the string: Key=Value or Key="Value with spaces", \" inside quotes (samcli
// cli/types.py, CfnParameterOverridesType).
function parsePairs(text: string, lineNumber: number): [string, string][] {
  const pairs: [string, string][] = [];
  const pair = /\s*([A-Za-z0-9]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))/y;
  let rest = text.trim();
  while (rest !== '') {
    pair.lastIndex = 0;
    const match = pair.exec(rest);
    if (!match) throw new SamconfigError(`samconfig.toml line ${lineNumber}: cannot read parameter_overrides near "${rest.slice(0, 30)}"`);
    pairs.push([match[1]!, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!]);
    rest = rest.slice(match[0].length).trimStart();
  }
  return pairs;
}

function samValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
