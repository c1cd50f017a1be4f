// A minimal peer bot on @slack/socket-mode 3 + @slack/web-api 8 for the `peers` bench case: it answers
// `/reading paper list` from memory in the ack, with the reply ReadingBot gives for an empty library.
// Usage: NODE_PATH=<tests/ReadingBot.Slack.Tests/js/node_modules> node slack-peer.js <apiUrl> <appToken> <botToken>
// Bench only: never run by tests or CI. Prints READY once the socket is connected.
'use strict';
const { SocketModeClient, LogLevel } = require('@slack/socket-mode');
const { WebClient } = require('@slack/web-api');

const [apiUrl, appToken, botToken] = process.argv.slice(2);
if (!apiUrl || !appToken || !botToken) {
  console.error('usage: node slack-peer.js <apiUrl> <appToken> <botToken>');
  process.exit(2);
}

const library = [];
// The same shape as ReadingBot's reply: a title section and a body section, in the channel.
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const listReply = () => {
  const title = `Library (${library.length} paper${library.length === 1 ? '' : 's'})`;
  const body = escape(library.length === 0
    ? 'The library is empty. Add a paper with /paper add <ref>.'
    : library.map((p, i) => `#${i + 1} ${p.title}`).join('\n'));
  return {
    text: `${title}\n${body}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: body } },
    ],
    response_type: 'in_channel',
  };
};

const client = new SocketModeClient({ appToken, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
const web = new WebClient(botToken, { slackApiUrl: apiUrl, logLevel: LogLevel.ERROR });

client.on('slash_commands', async ({ ack, body }) => {
  const text = (body.text || '').trim();
  if (text === 'paper list') {
    await ack(listReply());
  } else {
    await ack({ response_type: 'ephemeral', text: 'Unknown command.' });
  }
});

process.stdin.on('end', async () => { await client.disconnect(); process.exit(0); });
process.stdin.resume();
(async () => {
  // Who am I, as a real bot learns at start (Bolt does the same).
  await web.auth.test();
  await client.start();
  console.log('READY');
})().catch((error) => {
  console.error(`START FAILED: ${error}`);
  process.exit(4);
});
