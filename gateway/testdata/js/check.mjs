// Exercises the gateway with the official OpenAI Node client; prints one JSON
// summary line. Env: BASE_URL (…/v1), API_KEY, MODEL.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const out = {};

const list = await client.models.list();
out.models = list.data.map((m) => m.id);

const chat = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0,
});
out.chat = { content: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage };

const stream = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0,
  stream: true, stream_options: { include_usage: true },
});
let text = '';
let finish = null;
let usage = null;
let role = null;
for await (const chunk of stream) {
  for (const c of chunk.choices) {
    role = role ?? c.delta.role ?? null;
    text += c.delta.content ?? '';
    finish = c.finish_reason ?? finish;
  }
  if (chunk.usage) usage = chunk.usage;
}
out.stream = { content: text, finish, usage, role };

// The helper that accumulates a streamed chat completion.
const runner = client.chat.completions.stream({
  model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 8, temperature: 0,
});
const final = await runner.finalChatCompletion();
out.runner = { content: final.choices[0].message.content, finish: final.choices[0].finish_reason };

const comp = await client.completions.create({ model, prompt: 'once', max_tokens: 4, stream: true });
let ctext = '';
for await (const chunk of comp) ctext += chunk.choices[0]?.text ?? '';
out.completion = ctext;

try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  out.notFound = 'no error';
} catch (e) {
  out.notFound = { status: e.status, code: e.code, type: e.type, requestID: e.requestID ?? e.request_id ?? null };
}
console.log(JSON.stringify(out));
