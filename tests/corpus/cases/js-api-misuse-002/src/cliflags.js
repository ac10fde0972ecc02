'use strict';

// CLI flag parsing with environment-variable fallbacks (--max-retries <-> APP_MAX_RETRIES).

function envName(flag, prefix = 'APP') {
  const bare = flag.replace(/^--?/, '');
  return `${prefix}_${bare.replace('-', '_').toUpperCase()}`;
}

function parseFlags(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[arg.slice(2)] = argv[i + 1];
      i++;
    } else {
      out[arg.slice(2)] = 'true';
    }
  }
  return out;
}

function resolveOptions(spec, argv, env) {
  const flags = parseFlags(argv);
  const result = {};
  for (const [name, def] of Object.entries(spec)) {
    const fromEnv = env[envName(name)];
    const raw = flags[name] ?? fromEnv ?? def;
    result[name] = typeof def === 'number' ? Number(raw) : raw;
  }
  return result;
}

function usage(spec) {
  return Object.entries(spec)
    .map(([name, def]) => `  --${name}  (env ${envName(name)}, default ${JSON.stringify(def)})`)
    .join('\n');
}

module.exports = { envName, parseFlags, resolveOptions, usage };
