// Runs Slack's own Node clients against the ReadingBot Slack emulator.
// Usage: node proof.js <apiUrl> <appToken> <botToken>
// Prints one line per milestone (READY, CONNECTED n, POSTED n <ts>, DONE) for the C# test to follow.
'use strict';
const { SocketModeClient, LogLevel } = require('@slack/socket-mode');
const { WebClient } = require('@slack/web-api');

const [apiUrl, appToken, botToken] = process.argv.slice(2);
if (!apiUrl || !appToken || !botToken) {
  console.error('usage: node proof.js <apiUrl> <appToken> <botToken>');
  process.exit(2);
}

const client = new SocketModeClient({
  appToken,
  logLevel: LogLevel.ERROR,
  clientPingTimeout: 1000,
  clientOptions: { slackApiUrl: apiUrl },
});
const web = new WebClient(botToken, { slackApiUrl: apiUrl, logLevel: LogLevel.ERROR });

let connections = 0;
let posts = 0;

client.on('connected', () => {
  connections += 1;
  console.log(`CONNECTED ${connections}`);
});

client.on('slash_commands', async ({ ack, body }) => {
  await ack();
  const result = await web.chat.postMessage({ channel: body.channel_id, text: `node saw: ${body.text}` });
  posts += 1;
  console.log(`POSTED ${posts} ${result.ts}`);
  if (posts === 1) {
    // More of the Web API through Slack's own client: a threaded reply with blocks (sent within the same second,
    // so the emulator answers 429 and the client must wait out Retry-After), then the thread read back.
    const auth = await web.auth.test();
    const user = await web.users.info({ user: body.user_id });
    await web.chat.postMessage({
      channel: body.channel_id,
      thread_ts: result.ts,
      text: 'in the thread',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*in the thread*' } }],
    });
    const thread = await web.conversations.replies({ channel: body.channel_id, ts: result.ts });
    console.log(`WEBAPI ${auth.user_id} ${user.user.name} ${thread.messages.length} ${thread.messages[0].reply_count}`);
    // A file through Slack's own upload helper: files.getUploadURLExternal, a POST to the upload URL, then
    // files.completeUploadExternal into the thread.
    const uploaded = await web.files.uploadV2({
      channel_id: body.channel_id,
      thread_ts: result.ts,
      file: Buffer.from('@misc{proof,\n  title = {Uploaded by node},\n}\n'),
      filename: 'proof.bib',
      title: 'proof.bib',
      initial_comment: 'from node',
    });
    console.log(`UPLOADED ${uploaded.files[0].files[0].id}`);
  }
  if (posts === 2) {
    await client.disconnect();
    console.log('DONE');
    process.exit(0);
  }
});

const giveUp = setTimeout(() => {
  console.error('TIMEOUT: the proof did not finish in 90 s');
  process.exit(3);
}, 90000);
giveUp.unref();

client.start().then(() => console.log('READY')).catch((error) => {
  console.error(`START FAILED: ${error}`);
  process.exit(4);
});
