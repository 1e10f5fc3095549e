// A real S3-protocol server for the storage tests: s3rver on loopback, with one private bucket.
// Usage: node server.js PORT DIRECTORY BUCKET
//
// Two changes to s3rver 3.7.1's request authentication, made here when it loads:
// - it lets unsigned requests through, as if every bucket were public; the site relies on a
//   private bucket, so unsigned requests are refused (403 AccessDenied), as S3 does;
// - for V2 Authorization headers it leaves the Date line out of the string to sign, so every
//   header-signed request fails; the Date goes back in (empty when x-amz-date is sent, as S3 says).
// s3rver verifies V2 signatures (and the expiry of presigned V2 URLs); V4 ones it takes on trust.
'use strict';

const fs = require('fs');
const Module = require('module');
const path = require('path');

const authPath = require.resolve('s3rver/lib/middleware/authentication');
const headerBranch = 'const result = parseHeader(ctx.headers);\n      ({ signature, signatureProvided } = result);';
const source = fs.readFileSync(authPath, 'utf8');
if (!source.includes(headerBranch)) throw new Error('s3rver changed: review tools/s3/server.js');
const patched = new Module(authPath, module);
patched.filename = authPath;
patched.paths = Module._nodeModulePaths(path.dirname(authPath));
patched._compile(
  source.replace(headerBranch, `${headerBranch}\n      canonicalRequest.timestamp = ctx.headers['x-amz-date'] ? '' : ctx.get('Date');`),
  authPath,
);
patched.loaded = true;
require.cache[authPath] = patched;

const S3Error = require('s3rver/lib/models/error');
const authentication = patched.exports;
patched.exports = () => {
  const check = authentication();
  return (ctx, next) =>
    check(ctx, () => {
      if (!ctx.state.account) {
        throw new S3Error('AccessDenied', 'Access Denied: this bucket is private.');
      }
      return next();
    });
};

const S3rver = require('s3rver');
const [port, directory, bucket] = process.argv.slice(2);

new S3rver({ port: Number(port), address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] })
  .run()
  .then(() => console.log(`s3rver listening on 127.0.0.1:${port}, bucket ${bucket}`));
