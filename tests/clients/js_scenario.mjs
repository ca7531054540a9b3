#!/usr/bin/env node
// End-to-end scenario of the Secrets Manager API driven by the AWS SDK for JavaScript v3 (pinned in
// the repository's package.json). Usage: node js_scenario.mjs <endpoint-url> <name-prefix> <canary>
//
// Every secret value starts with <canary>, so the test that runs this can prove no value reached the
// service's logs or tables in plaintext. Prints one line per check (names and ids only, never a
// value) and exits 1 at the first failing check, saying what was expected and what came back.
// With SCENARIO_KEEP_GOING=1 a failed check is printed and the scenario goes on (to list every
// mismatch in one run); the exit code is still 1.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import * as sdk from "@aws-sdk/client-secrets-manager";

const EXPECT = JSON.parse(readFileSync(new URL("./expectations.json", import.meta.url), "utf8"));
const MSG = EXPECT.messages;
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key]);

class ScenarioFailure extends Error {}
const KEEP_GOING = process.env.SCENARIO_KEEP_GOING === "1";
const failures = [];

const ok = (label) => console.log(`ok   ${label}`);
function check(label, condition, detail = "") {
  if (condition) {
    ok(label);
    return;
  }
  const message = detail ? `${label}: ${detail}` : label;
  if (!KEEP_GOING) throw new ScenarioFailure(message);
  console.log(`FAIL ${message}`);
  failures.push(message);
}
const show = (value) => JSON.stringify(value, (_, v) => (v instanceof Set ? [...v].sort() : v));
function equal(label, actual, expected) {
  check(label, isDeepStrictEqual(actual, expected), `expected ${show(expected)}, got ${show(actual)}`);
}
const sorted = (items) => [...items].sort();
const members = (response) => sorted(Object.keys(response).filter((k) => k !== "$metadata"));
const stages = (d) => Object.fromEntries(Object.entries(d.VersionIdsToStages ?? {}).map(([k, v]) => [k, sorted(v)]));
const sameBytes = (a, b) => a instanceof Uint8Array && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

let client;
const call = (operation, input) => client.send(new sdk[`${operation}Command`](input));

// Asserts the call fails with `code`; `message` is exact text, "~text" a substring, null unchecked.
async function error(label, code, message, operation, input) {
  let failure;
  try {
    await call(operation, input);
  } catch (e) {
    failure = e;
  }
  if (!failure) {
    check(label, false, `expected ${code}, but the call succeeded`);
    return;
  }
  const status = failure.$metadata?.httpStatusCode;
  check(`${label} -> ${code}`, failure.name === code, `expected ${code}, got ${failure.name}: ${failure.message} (HTTP ${status})`);
  check(`${label} -> HTTP 400`, status === 400, `got HTTP ${status}`);
  if (message?.startsWith("~")) {
    check(`${label} message`, failure.message.includes(message.slice(1)), `expected text containing ${show(message.slice(1))}, got ${show(failure.message)}`);
  } else if (message !== null) {
    equal(`${label} message`, failure.message, message);
  }
}

// Follows NextToken to the end; returns [items, page sizes].
async function pages(operation, key, input) {
  const items = [];
  const sizes = [];
  let token;
  for (let i = 0; i < 1000; i++) {
    const response = await call(operation, { ...input, ...(token ? { NextToken: token } : {}) });
    items.push(...(response[key] ?? []));
    sizes.push((response[key] ?? []).length);
    token = response.NextToken;
    if (!token) return [items, sizes];
  }
  throw new ScenarioFailure(`${key}: paging did not end after 1000 pages`);
}

async function scenario(prefix, canary) {
  const name = `${prefix}/alpha`;
  const binaryName = `${prefix}/bin`;
  const missing = `${prefix}/missing`;
  const values = Object.fromEntries([1, 2, 3, 4].map((i) => [i, `${canary}-js-v${i}`]));
  const blob = Buffer.concat([Buffer.from(canary), Buffer.from([0, 0xff, 0xfe]), Buffer.from("-binary")]);

  // --- errors on names that do not exist or are malformed
  await error("describe missing", "ResourceNotFoundException", MSG.NotFound, "DescribeSecret", { SecretId: missing });
  await error("get missing", "ResourceNotFoundException", MSG.NotFound, "GetSecretValue", { SecretId: missing });
  await error("create invalid name", "ValidationException", MSG.InvalidName, "CreateSecret", { Name: `${prefix}/bad name*?`, SecretString: values[1] });
  await error("describe invalid name", "ValidationException", MSG.InvalidName, "DescribeSecret", { SecretId: "Inv Name" });

  // --- create
  const token = randomUUID();
  const created = await call("CreateSecret", { Name: name, SecretString: values[1], Description: "alpha e2e secret", ClientRequestToken: token });
  const arn = created.ARN;
  check("create ARN format", arn.startsWith("arn:aws:secretsmanager:us-east-1:") && arn.includes(`:secret:${name}-`) && arn.split("-").pop().length === 6, arn);
  equal("create Name", created.Name, name);
  equal("create VersionId is the token", created.VersionId, token);
  equal("create members", members(created), ["ARN", "Name", "VersionId"]);
  const again = await call("CreateSecret", { Name: name, SecretString: values[1], Description: "alpha e2e secret", ClientRequestToken: token });
  equal("create retried with same token is idempotent", again.VersionId, token);
  await error("create existing name", "ResourceExistsException", fill(MSG.Exists, { name }), "CreateSecret", { Name: name, SecretString: values[2] });
  const binCreated = await call("CreateSecret", { Name: binaryName, SecretBinary: blob });
  check("create binary VersionId", (binCreated.VersionId ?? "").length >= 32);
  await error("create with string and binary", "InvalidParameterException", null, "CreateSecret", { Name: `${prefix}/both`, SecretString: values[1], SecretBinary: blob });

  // --- describe
  const d = await call("DescribeSecret", { SecretId: name });
  equal("describe ARN", d.ARN, arn);
  equal("describe Description", d.Description, "alpha e2e secret");
  check("describe dates", d.CreatedDate instanceof Date && d.LastChangedDate instanceof Date);
  equal("describe VersionIdsToStages", stages(d), { [token]: ["AWSCURRENT"] });
  for (const absent of ["Tags", "DeletedDate", "LastAccessedDate", "RotationEnabled", "KmsKeyId"]) {
    check(`describe has no ${absent}`, !(absent in d), `${absent} present`);
  }
  equal("describe by full ARN", (await call("DescribeSecret", { SecretId: arn })).Name, name);
  equal("describe by partial ARN", (await call("DescribeSecret", { SecretId: arn.slice(0, -7) })).Name, name);

  // --- get
  const g = await call("GetSecretValue", { SecretId: name });
  check("get SecretString", g.SecretString === values[1], "value differs");
  equal("get VersionId", g.VersionId, token);
  equal("get VersionStages", g.VersionStages, ["AWSCURRENT"]);
  equal("get members", members(g), ["ARN", "CreatedDate", "Name", "SecretString", "VersionId", "VersionStages"]);
  const gb = await call("GetSecretValue", { SecretId: binaryName });
  check("get SecretBinary round trip", sameBytes(gb.SecretBinary, blob) && gb.SecretString === undefined, "binary differs");
  const accessed = (await call("DescribeSecret", { SecretId: name })).LastAccessedDate;
  check("LastAccessedDate set, day precision", accessed instanceof Date && accessed.getTime() % 86400000 === 0, String(accessed));
  await error("get AWSPREVIOUS of one version", "ResourceNotFoundException", fill(MSG.NoValueForStage, { stage: "AWSPREVIOUS" }), "GetSecretValue", { SecretId: name, VersionStage: "AWSPREVIOUS" });

  // --- put: AWSCURRENT moves, custom stages move only themselves
  const p2 = await call("PutSecretValue", { SecretId: name, SecretString: values[2] });
  const v2 = p2.VersionId;
  equal("put VersionStages", p2.VersionStages, ["AWSCURRENT"]);
  equal("put members", members(p2), ["ARN", "Name", "VersionId", "VersionStages"]);
  equal("after put: current/previous", stages(await call("DescribeSecret", { SecretId: name })), { [v2]: ["AWSCURRENT"], [token]: ["AWSPREVIOUS"] });
  const prev = await call("GetSecretValue", { SecretId: name, VersionStage: "AWSPREVIOUS" });
  check("get AWSPREVIOUS is the first value", prev.VersionId === token && prev.SecretString === values[1]);
  const p3 = await call("PutSecretValue", { SecretId: name, SecretString: values[3], VersionStages: ["STAGEB", "STAGEA"] });
  const v3 = p3.VersionId;
  equal("put custom stages, sorted", p3.VersionStages, ["STAGEA", "STAGEB"]);
  check("custom-stage put leaves AWSCURRENT", (await call("GetSecretValue", { SecretId: name })).VersionId === v2);
  const byId = await call("GetSecretValue", { SecretId: name, VersionId: v3 });
  check("get by VersionId", byId.SecretString === values[3] && isDeepStrictEqual(byId.VersionStages, ["STAGEA", "STAGEB"]));
  equal("get by custom stage", (await call("GetSecretValue", { SecretId: name, VersionStage: "STAGEA" })).VersionId, v3);
  await error("get VersionId with a stage it lacks", "InvalidRequestException", MSG.StageNotOnVersion, "GetSecretValue", { SecretId: name, VersionId: token, VersionStage: "AWSCURRENT" });
  const unknown = randomUUID();
  await error("get unknown VersionId", "ResourceNotFoundException", fill(MSG.NoValueForVersion, { version: unknown }), "GetSecretValue", { SecretId: name, VersionId: unknown });
  await error("get unknown stage", "ResourceNotFoundException", fill(MSG.NoValueForStage, { stage: "NOPE" }), "GetSecretValue", { SecretId: name, VersionStage: "NOPE" });

  // --- update
  equal("update description only: no VersionId", members(await call("UpdateSecret", { SecretId: name, Description: "alpha renamed" })), ["ARN", "Name"]);
  equal("describe shows new Description", (await call("DescribeSecret", { SecretId: name })).Description, "alpha renamed");
  const v4 = (await call("UpdateSecret", { SecretId: name, SecretString: values[4] })).VersionId;
  equal("after update value", stages(await call("DescribeSecret", { SecretId: name })), { [v4]: ["AWSCURRENT"], [v2]: ["AWSPREVIOUS"], [v3]: ["STAGEA", "STAGEB"] });

  // --- UpdateSecretVersionStage
  await error("move AWSCURRENT without RemoveFromVersionId", "InvalidParameterException", fill(MSG.RemoveFromRequired, { version: v4 }),
    "UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v3 });
  const moved = await call("UpdateSecretVersionStage", { SecretId: name, VersionStage: "AWSCURRENT", MoveToVersionId: v3, RemoveFromVersionId: v4 });
  equal("update stage members", members(moved), ["ARN", "Name"]);
  equal("after move", stages(await call("DescribeSecret", { SecretId: name })), { [v3]: ["AWSCURRENT", "STAGEA", "STAGEB"], [v4]: ["AWSPREVIOUS"] });
  check("get follows AWSCURRENT", (await call("GetSecretValue", { SecretId: name })).SecretString === values[3]);
  await call("UpdateSecretVersionStage", { SecretId: name, VersionStage: "STAGEB", RemoveFromVersionId: v3 });
  equal("remove a custom stage", stages(await call("DescribeSecret", { SecretId: name }))[v3], ["AWSCURRENT", "STAGEA"]);

  // --- ListSecretVersionIds
  const lv = await call("ListSecretVersionIds", { SecretId: name });
  equal("versions without deprecated", sorted(lv.Versions.map((v) => v.VersionId)), sorted([v3, v4]));
  check("version entries carry CreatedDate and KmsKeyIds", lv.Versions.every((v) => v.CreatedDate instanceof Date && isDeepStrictEqual(v.KmsKeyIds, ["DefaultEncryptionKey"])), show(lv.Versions.map(Object.keys)));
  const allVersions = (await call("ListSecretVersionIds", { SecretId: name, IncludeDeprecated: true })).Versions;
  equal("versions with deprecated", sorted(allVersions.map((v) => v.VersionId)), sorted([token, v2, v3, v4]));
  check("deprecated versions have no VersionStages", allVersions.filter((v) => [token, v2].includes(v.VersionId)).every((v) => !("VersionStages" in v)));
  const [paged, sizes] = await pages("ListSecretVersionIds", "Versions", { SecretId: name, IncludeDeprecated: true, MaxResults: 1 });
  check("version paging MaxResults=1", Math.max(...sizes) <= 1 && isDeepStrictEqual(sorted(paged.map((v) => v.VersionId)), sorted([token, v2, v3, v4])), `pages ${show(sizes)}`);
  await error("versions of missing", "ResourceNotFoundException", MSG.NotFound, "ListSecretVersionIds", { SecretId: missing });

  // --- tags
  await call("TagResource", { SecretId: name, Tags: [{ Key: "team", Value: "blue" }, { Key: "env", Value: "test" }] });
  const tags = (await call("DescribeSecret", { SecretId: name })).Tags ?? [];
  equal("tagged", sorted(tags.map((t) => `${t.Key}=${t.Value}`)), ["env=test", "team=blue"]);
  await call("UntagResource", { SecretId: name, TagKeys: ["team"] });
  equal("untag one", (await call("DescribeSecret", { SecretId: name })).Tags, [{ Key: "env", Value: "test" }]);
  await call("UntagResource", { SecretId: name, TagKeys: ["env"] });
  equal("untag last leaves []", (await call("DescribeSecret", { SecretId: name })).Tags, []);

  await listSecrets(prefix, canary, name);
  await batchGet(prefix, canary, name, binaryName, missing, values[3], blob);
  await randomPassword();
  await deletion(prefix, name, arn, binaryName, values[3]);
}

async function listSecrets(prefix, canary, alpha) {
  const base = `${prefix}/list/`;
  for (const spec of EXPECT.listSecrets) {
    await call("CreateSecret", { Name: base + spec.suffix, SecretString: `${canary}-list-${spec.suffix}`, Description: spec.description, Tags: spec.tags.map(([Key, Value]) => ({ Key, Value })) });
  }
  const everything = sorted(EXPECT.listSecrets.map((s) => base + s.suffix));
  const filters = (pairs) => pairs.map(([Key, Values]) => ({ Key, Values }));
  async function names(pairs, extra = {}) {
    const [items] = await pages("ListSecrets", "SecretList", { Filters: filters(pairs), ...extra });
    const found = items.map((s) => s.Name);
    check(`list ${show(pairs)} has no repeats`, new Set(found).size === found.length, show(found));
    return sorted(found);
  }
  const expect = async (label, pairs, suffixes) => equal(`list ${label}`, await names(pairs), sorted(suffixes.map((s) => base + s)));

  const [listed] = await pages("ListSecrets", "SecretList", { Filters: filters([["name", [base]]]) });
  equal("list by name prefix", sorted(listed.map((s) => s.Name)), everything);
  const entry = listed.find((s) => s.Name === base + "k0");
  check("list entry members", ["ARN", "Name", "Description", "SecretVersionsToStages", "Tags"].every((k) => k in entry), show(Object.keys(entry)));
  await expect("name k1", [["name", [base + "k1"]]], ["k1"]);
  const negated = await names([["name", ["!" + base]]]);
  check("list name negation", negated.includes(alpha) && !negated.some((n) => everything.includes(n)), "negation returned list secrets or missed alpha");
  await expect("description word, case-insensitive", [["name", [base]], ["description", ["alpha"]]], ["k0", "k2", "k4"]);
  await expect("description negation", [["name", [base]], ["description", ["!alpha"]]], ["k1", "k3"]);
  await expect("description later word", [["name", [base]], ["description", ["cache"]]], ["k1"]);
  await expect("tag-key", [["name", [base]], ["tag-key", ["team"]]], ["k0", "k1", "k4"]);
  await expect("tag-key prefix", [["name", [base]], ["tag-key", ["tea"]]], ["k0", "k1", "k4"]);
  await expect("tag-value", [["name", [base]], ["tag-value", ["blue"]]], ["k0", "k4"]);
  await expect("tag-value is case-sensitive", [["name", [base]], ["tag-value", ["Blue"]]], []);
  await expect("all", [["name", [base]], ["all", ["gamma"]]], ["k4"]);
  for (const size of [1, 2]) {
    const [items, sizes] = await pages("ListSecrets", "SecretList", { Filters: filters([["name", [base]]]), MaxResults: size });
    const found = items.map((s) => s.Name);
    check(`list paging MaxResults=${size} never repeats or skips`, isDeepStrictEqual(sorted(found), everything) && Math.max(...sizes) <= size, `pages ${show(sizes)}: ${show(found)}`);
  }
}

async function batchGet(prefix, canary, alpha, binaryName, missing, alphaValue, blob) {
  const b = await call("BatchGetSecretValue", { SecretIdList: [alpha, binaryName, missing] });
  const got = Object.fromEntries(b.SecretValues.map((v) => [v.Name, v]));
  equal("batch names", sorted(Object.keys(got)), sorted([alpha, binaryName]));
  check("batch values", got[alpha].SecretString === alphaValue && sameBytes(got[binaryName].SecretBinary, blob), "values differ");
  check("batch entry members", ["ARN", "Name", "VersionId", "VersionStages", "CreatedDate"].every((k) => k in got[alpha]), show(Object.keys(got[alpha])));
  equal("batch errors", (b.Errors ?? []).map((e) => [e.SecretId, e.ErrorCode]), [[missing, "ResourceNotFoundException"]]);
  const base = `${prefix}/list/`;
  const [items, sizes] = await pages("BatchGetSecretValue", "SecretValues", { Filters: [{ Key: "name", Values: [base] }], MaxResults: 2 });
  const found = sorted(items.map((v) => v.Name));
  check("batch by filter, paged", isDeepStrictEqual(found, sorted(EXPECT.listSecrets.map((s) => base + s.suffix))) && Math.max(...sizes) <= 2, `pages ${show(sizes)}: ${show(found)}`);
  check("batch by filter values", items.every((v) => v.SecretString === `${canary}-list-${v.Name.slice(base.length)}`), "values differ");
}

async function randomPassword() {
  let p = (await call("GetRandomPassword", { PasswordLength: 40, ExcludeCharacters: "abcdefABCDEF0123456" })).RandomPassword;
  check("password length 40 without excluded", p.length === 40 && ![..."abcdefABCDEF0123456"].some((c) => p.includes(c)), `length ${p.length}`);
  p = (await call("GetRandomPassword", {})).RandomPassword;
  const has = [/[A-Z]/.test(p), /[a-z]/.test(p), /[0-9]/.test(p), [...p].some((c) => EXPECT.punctuation.includes(c))];
  check("default password: 32 chars, every type", p.length === 32 && has.every(Boolean) && !p.includes(" "), `length ${p.length}, types ${show(has)}`);
  p = (await call("GetRandomPassword", { PasswordLength: 20, ExcludePunctuation: true, ExcludeNumbers: true })).RandomPassword;
  check("letters-only password", p.length === 20 && /^[A-Za-z]+$/.test(p), `length ${p.length}`);
}

async function deletion(prefix, name, arn, binaryName, currentValue) {
  const now = Date.now();
  const deleted = await call("DeleteSecret", { SecretId: name, RecoveryWindowInDays: 7 });
  equal("delete members", members(deleted), ["ARN", "DeletionDate", "Name"]);
  check("DeletionDate is in 7 days", Math.abs(deleted.DeletionDate.getTime() - now - 7 * 86400000) < 86400000, String(deleted.DeletionDate));
  await error("get deleted", "InvalidRequestException", MSG.MarkedForDeletion, "GetSecretValue", { SecretId: name });
  await error("put deleted", "InvalidRequestException", MSG.MarkedForDeletion, "PutSecretValue", { SecretId: name, SecretString: "x-not-stored" });
  check("describe deleted shows DeletedDate", "DeletedDate" in (await call("DescribeSecret", { SecretId: name })));
  const [hidden] = await pages("ListSecrets", "SecretList", { Filters: [{ Key: "name", Values: [name] }] });
  check("list hides deleted", !hidden.some((s) => s.Name === name));
  const [shown] = await pages("ListSecrets", "SecretList", { Filters: [{ Key: "name", Values: [name] }], IncludePlannedDeletion: true });
  check("list IncludePlannedDeletion shows it", shown.some((s) => s.Name === name && "DeletedDate" in s));
  await error("create over deleted name", "InvalidRequestException", MSG.CreateScheduled, "CreateSecret", { Name: name, SecretString: "x-not-stored" });
  await error("force and window together", "InvalidParameterException", "~ForceDeleteWithoutRecovery", "DeleteSecret", { SecretId: binaryName, ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 });
  await error("recovery window 6", "InvalidParameterException", "~RecoveryWindowInDays", "DeleteSecret", { SecretId: binaryName, RecoveryWindowInDays: 6 });
  const restored = await call("RestoreSecret", { SecretId: name });
  equal("restore members", [members(restored), restored.ARN], [["ARN", "Name"], arn]);
  check("get after restore", (await call("GetSecretValue", { SecretId: name })).SecretString === currentValue);
  check("describe after restore has no DeletedDate", !("DeletedDate" in (await call("DescribeSecret", { SecretId: name }))));
  equal("force delete members", members(await call("DeleteSecret", { SecretId: name, ForceDeleteWithoutRecovery: true })), ["ARN", "DeletionDate", "Name"]);
  await error("describe after force delete", "ResourceNotFoundException", MSG.NotFound, "DescribeSecret", { SecretId: name });
  const never = `${prefix}/never`;
  equal("force delete of a missing secret succeeds", (await call("DeleteSecret", { SecretId: never, ForceDeleteWithoutRecovery: true })).Name, never);
  await error("restore missing", "ResourceNotFoundException", MSG.NotFound, "RestoreSecret", { SecretId: `${prefix}/missing` });
}

async function main() {
  if (process.argv.length !== 5) {
    console.error("usage: node js_scenario.mjs <endpoint-url> <name-prefix> <canary>");
    return 2;
  }
  const [endpoint, prefix, canary] = process.argv.slice(2);
  client = new sdk.SecretsManagerClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  try {
    await scenario(prefix, canary);
  } catch (e) {
    if (e instanceof ScenarioFailure) {
      console.log(`FAIL ${e.message}`);
    } else {
      console.log(`FAIL unexpected ${e.name} (HTTP ${e.$metadata?.httpStatusCode}): ${e.message}\n${e.stack}`);
    }
    return 1;
  }
  if (failures.length > 0) {
    console.log(`FAIL ${failures.length} checks failed`);
    return 1;
  }
  console.log("PASS js-sdk-v3 scenario");
  return 0;
}

process.exitCode = await main();
