// Runs the real discord.js client against the ReadingBot Discord emulator, to prove the emulator speaks the
// protocol a widely used client expects. Driven by DiscordJsProofTests: it prints one JSON line per milestone.
import { Client, Events, GatewayIntentBits } from 'discord.js';

const [port, token] = process.argv.slice(2);
const say = (event, extra = {}) => console.log(JSON.stringify({ event, ...extra }));

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents],
  rest: { api: `http://127.0.0.1:${port}/api`, version: '10' },
});

client.once(Events.ClientReady, async (ready) => {
  say('ready', { user: ready.user.id, application: ready.application.id });
  try {
    const commands = await ready.application.commands.set([
      { name: 'ping', description: 'Replies with pong', options: [{ type: 3, name: 'word', description: 'a word to echo', required: false }] },
    ]);
    say('registered', { count: commands.size });
  } catch (error) {
    say('error', { where: 'register', message: String(error) });
  }
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  try {
    const word = interaction.options.getString('word') ?? 'pong';
    if (word === 'picture') {
      // An embed that shows an uploaded file, the way a bot attaches a chart.
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      await interaction.reply({
        embeds: [{ title: 'chart', image: { url: 'attachment://chart.png' } }],
        files: [{ attachment: png, name: 'chart.png', description: 'a chart' }],
        allowedMentions: { parse: [] },
      });
    } else {
      await interaction.reply({ content: `discord.js says ${word}`, allowedMentions: { parse: [] } });
    }
    say('replied', { id: interaction.id, guild: interaction.guildId });
  } catch (error) {
    say('error', { where: 'reply', message: String(error) });
  }
});

// The emulator's GUILD_SCHEDULED_EVENT_CREATE, parsed by discord.js into its own GuildScheduledEvent.
client.on(Events.GuildScheduledEventCreate, (event) =>
  say('scheduled', { id: event.id, name: event.name, location: event.entityMetadata?.location ?? null, creator: event.creatorId, start: event.scheduledStartTimestamp }));

client.on(Events.ShardResume, (shard, replayed) => say('resumed', { shard, replayed }));
client.on(Events.Error, (error) => say('error', { where: 'client', message: String(error) }));

process.stdin.on('data', async (data) => {
  if (data.toString().trim() === 'event') {
    try {
      // discord.js's own body for an EXTERNAL event, through the emulator's validation.
      const guild = client.guilds.cache.first();
      const start = Date.now() + 86_400_000;
      await guild.scheduledEvents.create({
        name: 'Proof meeting', privacyLevel: 2, entityType: 3, description: 'proof',
        scheduledStartTime: new Date(start), scheduledEndTime: new Date(start + 3_600_000),
        entityMetadata: { location: 'https://discord.com/channels/1/2' },
      });
    } catch (error) {
      say('error', { where: 'event', message: String(error) });
    }
    return;
  }

  if (data.toString().trim() === 'quit') {
    await client.destroy();
    say('stopped');
    process.exit(0);
  }
});

await client.login(token);
