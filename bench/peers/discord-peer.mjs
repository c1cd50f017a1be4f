// A minimal peer bot on discord.js 14 for the `peers` bench case: it answers `/paper list` from memory with the
// reply ReadingBot gives for an empty library, so the bench can compare the two on the same emulator and load.
// Usage: node discord-peer.mjs <node_modules dir> <api base (http://127.0.0.1:PORT/api)> <token>
// Bench only: never run by tests or CI. Prints READY once the client is logged in and its command registered.
import { createRequire } from 'node:module';
import path from 'node:path';

const [modules, api, token] = process.argv.slice(2);
if (!modules || !api || !token) {
  console.error('usage: node discord-peer.mjs <node_modules dir> <api base> <token>');
  process.exit(2);
}

// discord.js is installed for the emulator proofs under tests/ReadingBot.Discord.Tests/js; ESM ignores NODE_PATH,
// so resolve it from there explicitly.
const require = createRequire(path.join(path.resolve(modules), 'peer.cjs'));
const { Client, Events, GatewayIntentBits } = require('discord.js');

// The whole "library": kept in memory, empty, as in the bench's fresh data directory.
const library = [];
// The same shape as ReadingBot's reply: one embed with a title and the list (or the empty-library hint).
const listReply = () => ({
  title: `Library (${library.length} paper${library.length === 1 ? '' : 's'})`,
  description: library.length === 0
    ? 'The library is empty. Add a paper with /paper add <ref>.'
    : library.map((p, i) => `#${i + 1} ${p.title}`).join('\n'),
});

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api, version: '10' } });

client.once(Events.ClientReady, async (ready) => {
  try {
    await ready.application.commands.set([
      { name: 'paper', description: 'Papers in the library', options: [{ type: 1, name: 'list', description: 'List the library' }] },
    ]);
    console.log('READY');
  } catch (error) {
    console.error(`REGISTER FAILED: ${error}`);
    process.exit(4);
  }
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  try {
    if (interaction.commandName === 'paper' && interaction.options.getSubcommand(false) === 'list') {
      await interaction.reply({ embeds: [listReply()], allowedMentions: { parse: [] } });
    } else {
      await interaction.reply({ content: 'Unknown command.', allowedMentions: { parse: [] }, ephemeral: true });
    }
  } catch (error) {
    console.error(`REPLY FAILED: ${error}`);
  }
});

client.on(Events.Error, (error) => console.error(`CLIENT ERROR: ${error}`));
process.stdin.on('end', async () => { await client.destroy(); process.exit(0); });
process.stdin.resume();
await client.login(token);
