//! An in-process fake of the MongoDB Atlas Administration API, served over
//! HTTP/1.1 on loopback, for tests and offline examples: every operation of the
//! spec, with state.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use atlas_endpoints_sandbox::{Sandbox, DEFAULT_CLUSTER, DEFAULT_GROUP_ID};
//!
//! let sandbox = Sandbox::start().await?;
//! let url = format!(
//!     "{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/clusters/{DEFAULT_CLUSTER}",
//!     sandbox.base_url(),
//! );
//! // Send GET `url` with `Authorization: Bearer {sandbox.token()}` and
//! // `Accept: application/vnd.atlas.2024-08-05+json`, then inspect
//! // `sandbox.requests()` to see exactly what was sent. A sandbox built with
//! // `Sandbox::builder().digest_key(..)` or `.service_account(..)` also takes
//! // API keys over HTTP Digest or OAuth access tokens.
//! # let _ = url;
//! # Ok(())
//! # }
//! ```
//!
//! # The engine
//!
//! One engine serves all 540 operations from tables the generator writes from
//! the spec (`sandbox/tables/`: paths, methods, parameters with their types,
//! patterns, bounds and enums, versions, request and answer schemas, read-only
//! and write-only fields; facts only). Its code does not grow with the number
//! of operations. What each operation does to the state is read from the shape
//! of the paths:
//!
//! * a `POST` on a path whose child the spec declares
//!   (`.../clusters` and `.../clusters/{clusterName}`) creates that child, named
//!   by the body field of the child's parameter (`name` for a `...Name`, the
//!   field of that name, else a new 24-hex id); a body that is a list
//!   (access-list entries) creates one child per item. A name already taken is
//!   a 409 (`DUPLICATE_CLUSTER_NAME`, `GROUP_ALREADY_EXISTS` for a project name
//!   of the organization, `USER_ALREADY_EXISTS`, else `DUPLICATE_RESOURCE`);
//! * a `GET` there lists the children, oldest first, as Atlas pages them;
//! * `GET`, `PATCH`, `PUT` and `DELETE` on the child read, merge (RFC 7386),
//!   replace and delete it (with everything below it);
//! * a path that ends in literal text (`.../maintenanceWindow`) is one object:
//!   made up until written, forgotten by `DELETE`; a `POST` where a `GET` reads
//!   creates it, elsewhere (`...:pause`, `.../restartPrimaries`) it is an
//!   action, answered and not stored.
//!
//! Children that no operation creates and the data does not hold (processes,
//! invoices, ...) are made up on each read. Answers are completed to the
//! version's answer schema: required fields get the simplest value their type,
//! enum, pattern and bounds allow, and fields named like what the request tells
//! get it (`id`, `groupId`, the path's names, `links` to the object itself,
//! `created` dates on the sandbox's clock). [`Sandbox::answers`] keeps every JSON
//! answer, and a test holds each against the spec.
//!
//! **Long-running resources** move through their states on the sandbox's clock
//! (tokio's, plus what [`Sandbox::advance`] adds, so paused test time moves it
//! too): a cluster is `CREATING` for 20 s then `IDLE`, `UPDATING` for 10 s after
//! a `PATCH`, `DELETING` for 10 s after a `DELETE`, then gone (404); Flex
//! clusters likewise (10 s, 5 s, 5 s); cluster backup snapshots `queued`,
//! `inProgress` then `completed`; search indexes `PENDING`, `BUILDING`, then
//! `READY` (by id and by name alike); a search deployment `UPDATING` then `IDLE`;
//! cloud backup restore jobs get `finishedAt` after 10 s (`failed` stays
//! false); Flex restore jobs `PENDING`, `QUEUED`, `RUNNING`, then `COMPLETED`;
//! private endpoint services `INITIATING` then `AVAILABLE` (read at their cloud
//! provider's path), `DELETING` then gone; online archives `PENDING` then
//! `ACTIVE`, `PAUSING` then `PAUSED`, `DELETED` then gone; stream processors
//! `CREATED`, then `STARTED` or `STOPPED` 3 s after `:start` or `:stop`; an
//! access-list entry's `/status` `PENDING` then `ACTIVE`. [`Sandbox::fail`]
//! forces a failure, [`Sandbox::hold`] a stall, and [`Sandbox::state_of`] reads
//! where a resource is.
//!
//! [`example_requests`] gives a valid request for every operation, and
//! [`SandboxBuilder::example_data`] adds an object to every collection that
//! holds state, so that each example finds what it names.
//!
//! # What every request goes through
//!
//! 1. It is counted and recorded ([`Sandbox::requests`]) before anything
//!    else, whatever its path and outcome. The path is kept as received,
//!    percent-encoding included.
//! 2. The added latency and the next queued fault for its path, if any (see
//!    [Faults](#faults)): a fault applies whatever the route, method and
//!    credentials, and decides what is sent instead of, or on top of, the
//!    steps below. A fault that does not run the route changes no data.
//! 3. 404 `RESOURCE_NOT_FOUND` for a path the spec does not declare, 405
//!    `METHOD_NOT_ALLOWED` for a declared path with another method. The most
//!    specific path wins (`/clusters/tenantUpgrade` over
//!    `/clusters/{clusterName}`).
//! 4. 401 [`UNAUTHORIZED`](error_codes::UNAUTHORIZED) unless the request
//!    authenticates in one of the ways described under
//!    [Authentication](#authentication) (the operations the spec marks as
//!    needing no credentials skip this).
//! 5. 406 [`INVALID_VERSION_DATE`](error_codes::INVALID_VERSION_DATE) unless
//!    an `Accept` header names the media type of a version the operation
//!    offers (several may be listed; parameters are ignored). `parameters`
//!    lists every `acceptedMediaType`.
//! 6. With [`SandboxBuilder::sunset_serverless`]: 410
//!    [`VERSION_GONE`](error_codes::VERSION_GONE) for a version past its
//!    sunset (the serverless backups since 2026-01-22, and the other versions
//!    the spec dates before the sandbox's today, 2026-12-01), with a `Sunset`
//!    header (`Thu, 22 Jan 2026 00:00:00 GMT`).
//! 7. 415 `INVALID_MEDIA_TYPE` when the body's `Content-Type` names another
//!    Atlas version than the one asked for (`application/json` is fine).
//! 8. 400 [`VALIDATION_ERROR`](error_codes::VALIDATION_ERROR) naming every
//!    invalid element in `badRequestDetail.fields`, path first, then query and
//!    headers, then body: path values against their patterns (checked on the
//!    percent-decoded segment, and on the raw one for the patterns the spec
//!    writes against the encoded value, such as `10.0.0.0%2F16`), query and
//!    header values against their types, bounds and enums, required
//!    parameters, and the body against the request schema (read-only and
//!    unknown fields ignored, `null` as absent; a `PATCH` body needs no
//!    required field). Nothing changes.
//! 9. 404 for an object the path names that does not exist: a project
//!    (`GROUP_NOT_FOUND`), an organization (`ORG_NOT_FOUND`), a cluster
//!    (`CLUSTER_NOT_FOUND`), a database user (`USERNAME_NOT_FOUND`), anything
//!    else (`RESOURCE_NOT_FOUND`); `parameters` names the path parameter.
//! 10. The operation, then its success status (200, 201, 202 or 204, as the
//!     spec has it).
//!
//! The OAuth endpoints [`TOKEN_PATH`] and [`REVOKE_PATH`] are the sandbox's own
//! (see below). Routes added with [`SandboxBuilder::route`] are served too,
//! without authentication.
//!
//! # Authentication
//!
//! The sandbox's own API routes accept three kinds of `Authorization`
//! header. The scheme name is matched case-insensitively, and a header that is
//! not UTF-8 counts as missing.
//!
//! **The static token.** `Bearer <token>`, where the token is
//! [`Sandbox::token`] ([`DEFAULT_TOKEN`] unless [`SandboxBuilder::token`]
//! chose another), compared exactly.
//!
//! **HTTP Digest (RFC 7616) with programmatic API keys**, once
//! [`SandboxBuilder::digest_key`] added at least one key: the public key is
//! the username, the private key the password. Every 401 of an API route then
//! carries, first, a challenge with a nonce issued for it:
//!
//! ```text
//! WWW-Authenticate: Digest realm="MMS Public API", domain="", nonce="<32 hex>", opaque="<32 hex>", algorithm=MD5, qop="auth", stale=false
//! ```
//!
//! (`algorithm=SHA-256` with [`DigestAlgorithm::Sha256`]; `opaque` is fixed
//! for the sandbox's life.) Credentials are accepted only when all of these
//! hold:
//!
//! * `username` is a configured public key, `realm` is [`DIGEST_REALM`],
//!   `qop` is `auth`, `opaque` is the sandbox's, and `algorithm` is the
//!   configured one (when left out, MD5 is meant). `userhash=true` and the
//!   `-sess` algorithms are not supported.
//! * `uri` is exactly the request's path and query as received.
//! * `nonce` was issued by this sandbox; `nc` is 1 to 16 hex digits and
//!   greater than every count already accepted with that nonce, so a replay
//!   is refused.
//! * `response` is `H(H(A1):nonce:nc:cnonce:qop:H(A2))` with
//!   `A1 = username:realm:private key`, `A2 = METHOD:uri` and `H` the lowercase
//!   hex MD5 or SHA-256.
//! * The nonce is younger than [`SandboxBuilder::nonce_lifetime`] and was
//!   not made stale by [`Sandbox::expire_nonces`]. Otherwise, and only if
//!   everything above holds, the new challenge says `stale=true`: the client
//!   may retry with the new nonce without asking for the key again. Any other
//!   failure says `stale=false`.
//!
//! **OAuth 2.0 client credentials (Atlas service accounts)**, for accounts
//! added with [`SandboxBuilder::service_account`]. A client exchanges its id
//! and secret for an access token, then sends `Bearer <access token>`:
//!
//! ```text
//! POST /api/oauth/token
//! Authorization: Basic base64(<client id>:<client secret>)
//! Content-Type: application/x-www-form-urlencoded
//!
//! grant_type=client_credentials
//! ```
//!
//! answers 200 with `Cache-Control: no-store` and
//! `{"access_token": "...", "token_type": "Bearer", "expires_in": N}`, where
//! the token is new and unique and `N` is [`SandboxBuilder::token_lifetime`]
//! in seconds, rounded up, at least 1. A token is accepted until its lifetime
//! has passed (a zero lifetime issues tokens that are already expired) or it
//! is revoked:
//!
//! ```text
//! POST /api/oauth/revoke
//! Authorization: Basic base64(<client id>:<client secret>)
//! Content-Type: application/x-www-form-urlencoded
//!
//! token=<access token>&token_type_hint=access_token
//! ```
//!
//! answers 200 with an empty body, also for a token that is unknown or
//! already revoked (as RFC 7009 asks); the hint is not needed. Both
//! endpoints take the id and secret as they are (not form-decoded), and
//! answer errors as RFC 6749 does, `{"error": "...", "error_description":
//! "..."}` with `Content-Type: application/json`:
//!
//! * 401 `invalid_client`, with `WWW-Authenticate: Basic
//!   realm="atlas-sandbox"`: Basic credentials missing, malformed (bad
//!   base64, not UTF-8, no `:`) or not a configured account;
//! * 400 `invalid_request`: the body is not
//!   `application/x-www-form-urlencoded` (parameters such as `charset` are
//!   allowed) or not UTF-8, a parameter is repeated, `grant_type` (or, to
//!   revoke, `token`) is missing or empty, or the token to revoke was issued
//!   to another client;
//! * 400 `unsupported_grant_type`: any grant type but `client_credentials`.
//!
//! The client is authenticated before the body is looked at. These two
//! endpoints do not apply `pretty` or `envelope`. [`Sandbox::token_request_count`]
//! and [`Sandbox::revoke_count`] count every `POST` to them, whatever the
//! outcome; [`Sandbox::live_token_count`] counts the tokens still accepted.
//!
//! **Refusals.** A request with none of these, or with credentials that do
//! not pass, gets 401 `UNAUTHORIZED` with the Digest challenge above (when
//! API keys are configured) followed by a second header,
//! `WWW-Authenticate: Bearer realm="atlas-sandbox"`. The `detail` says what
//! was wrong (for instance that an access token expired or was revoked)
//! without repeating any credential.
//!
//! # Bodies
//!
//! Errors follow the spec's `ApiError`, with `Content-Type: application/json`:
//!
//! ```json
//! {"detail": "...", "error": 404, "errorCode": "RESOURCE_NOT_FOUND",
//!  "parameters": [{"groupId": "..."}], "reason": "Not Found"}
//! ```
//!
//! `parameters` holds one-key objects naming what the error is about; 400s add
//! `badRequestDetail: {"fields": [{"field": "...", "description": "..."}]}`.
//!
//! A single object answers with the version's media type as `Content-Type`
//! (`application/vnd.atlas.2024-08-05+json`) and the object as the version's
//! answer schema has it; fields without a value are left out rather than sent
//! as `null`. `204` answers have no body; `gzip`, `csv` and `xml` answers a
//! small placeholder of that format.
//!
//! Lists answer with the version's media type and a page object
//! `{"links": [...], "results": [...], "totalCount": N}`, oldest first:
//!
//! * `pageNum` defaults to 1, `itemsPerPage` to 100; page k holds items
//!   `(k-1)*n .. k*n` in a stable order, and a page past the end is empty.
//! * `totalCount` is left out when `includeCount=false`.
//! * `links` always has `self`, `previous` when `pageNum` > 1 and `next` when
//!   items follow; each `href` is an absolute URL on [`Sandbox::base_url`]
//!   with that page's `pageNum` and `itemsPerPage`.
//!
//! What the sandbox does with the two formatting flags:
//!
//! * `pretty=true` indents the JSON, on the operations that define `pretty`
//!   (the two get-one-snapshot operations of the backups do not).
//! * `envelope=true` makes the HTTP status 200 and carries the real one in
//!   the body: a page gains `"status": 200` next to `links` and `results`;
//!   a single object becomes `{"status": 200, "content": <object>}`; an
//!   error becomes `{"status": <code>, "content": <ApiError>}`. Headers
//!   (`Content-Type`, `Sunset`, ...) are unchanged.
//!
//! Both flags are honoured on every response the sandbox itself produces,
//! errors included, as long as their value is exactly `true`; the answers
//! that faults make up ([`Fault::Status`], [`Fault::HtmlBadGateway`],
//! [`Fault::InvalidJson`]) ignore them.
//!
//! # The backups
//!
//! Three operations follow rules the spec does not state, written in the
//! engine's backups module: they read their bodies themselves, as below.
//!
//! A `POST` body must be one JSON object; its `Content-Type` is not checked
//! (the spec names the route's media type; clients may send
//! `application/json`). An empty body, invalid JSON or another JSON value is
//! a 400 naming the field `body`. Within the object, read-only fields of the
//! schema (`id`, `status`, `links`, ...) and unknown fields are ignored; a
//! field that is present but `null` counts as absent. A missing required
//! field, a value of the wrong JSON type, a string that does not match the
//! spec's pattern or enum, and an integer out of the spec's range are 400s
//! naming that field.
//!
//! **Serverless restore jobs** (`ServerlessBackupRestoreJob`):
//! `deliveryType` (`automated`, `download` or `pointInTime`),
//! `targetClusterName` and `targetGroupId` are required, as in the spec. The
//! sandbox also needs a snapshot to restore (the spec leaves that to prose):
//!
//! * `automated` and `download` require `snapshotId` (400 otherwise); an
//!   unknown one is a 404.
//! * `pointInTime` requires `pointInTimeUTCSeconds`, or `oplogTs` together
//!   with `oplogInc` (400 otherwise); the moment is `pointInTimeUTCSeconds`
//!   when given, else `oplogTs`. The job restores the `snapshotId` given, or
//!   else the newest snapshot taken at or before that moment; no such
//!   snapshot, or a named snapshot taken after the moment, is a 400 naming
//!   the field that gave the moment.
//!
//! The new job is in progress (no `finishedAt`, not failed, cancelled or
//! expired) and expires two days after it was created; its `timestamp` is
//! its snapshot's `createdAt`, `desiredTimestamp` the moment restored (the
//! snapshot's, unless point in time), and a download gets a `deliveryUrl`.
//! The point-in-time fields are only kept for `pointInTime` jobs.
//! `targetGroupId` and `targetClusterName` are not looked up.
//!
//! **Flex restore jobs** (`FlexBackupRestoreJobCreate20241113`):
//! `snapshotId` and `targetDeploymentItemName` are required;
//! `targetProjectId` is optional and defaults to the cluster's project (it
//! is not looked up). The new job is a `RESTORE` with status `PENDING`.
//!
//! **Flex downloads** (`FlexBackupSnapshotDownloadCreate20241113`):
//! `snapshotId` is required. The answer is a restore job of the cluster
//! (`FlexBackupRestoreJob20241113`) with `deliveryType` `DOWNLOAD`, status
//! `COMPLETED` and a `snapshotUrl` on a `.invalid` host that
//! `expirationDate` says works for four hours.
//!
//! For both Flex `POST`s, an unknown `snapshotId` is a 404 and a snapshot
//! that is `RUNNING` or `FAILED` a 409
//! [`SNAPSHOT_NOT_COMPLETE`](error_codes::SNAPSHOT_NOT_COMPLETE).
//!
//! Whatever a `POST` creates gets a new 24-hex id that sorts after every id
//! of its list, goes at the end of the instance's or cluster's restore jobs
//! (so `totalCount` grows by one, and its get-one route serves it), and
//! stays for the sandbox's life. A `POST` answered with an error creates
//! nothing. Created jobs never progress: they keep the status they were
//! created with.
//!
//! # Data
//!
//! Every sandbox holds organization [`DEFAULT_ORG_ID`] (`sandbox-org`),
//! project [`DEFAULT_GROUP_ID`] (`sandbox-project`) in it, and dedicated
//! cluster [`DEFAULT_CLUSTER`] (`IDLE`, a three-node M10 replica set on AWS
//! `US_EAST_1`) in that project; and the deployments with backups below, each
//! in its project (a project named by a seed that is not the default one is
//! added).
//!
//! Without [`SandboxBuilder::instance`] or [`SandboxBuilder::flex_cluster`],
//! the sandbox holds project [`DEFAULT_GROUP_ID`] with serverless instance
//! [`DEFAULT_INSTANCE`] ([`DEFAULT_JOB_COUNT`] restore jobs and as many
//! snapshots), serverless instance [`DEFAULT_EMPTY_INSTANCE`] (no restore
//! job, no snapshot) and Flex cluster [`DEFAULT_FLEX_CLUSTER`]
//! ([`DEFAULT_FLEX_JOB_COUNT`] restore jobs, [`DEFAULT_FLEX_SNAPSHOT_COUNT`]
//! snapshots). Adding any instance or Flex cluster replaces that whole seed.
//! Everything is generated deterministically from the project id, the name,
//! the counts and each item's index: two sandboxes seeded alike serve the
//! same data. No clock is read either: the sandbox keeps its own time per
//! instance or cluster, after every seeded date, which moves on one minute
//! for each job created.
//!
//! **Serverless restore jobs** have ObjectId-shaped ids, delivery types
//! cycling `automated`, `download`, `pointInTime`, snapshots six hours apart
//! from `2025-11-03T10:15:00Z`, the three newest jobs still in progress (no
//! `finishedAt`), and a few failed, cancelled or expired ones.
//!
//! **Serverless snapshots**: one per restore job, the one its `snapshotId`
//! names, taken at its `timestamp`; all `scheduled` and `completed`. The
//! first snapshot of a UTC day is `daily` (kept a week), of a Sunday
//! `weekly` (four weeks), of the first of a month `monthly` (a year), the
//! others `hourly` (two days), which `expiresAt` reflects. `mongodVersion` is
//! `8.0.13` before 2025-11-08 and `8.0.15` after; `storageSizeBytes` is
//! around 150 to 250 MB and grows slowly.
//!
//! **Flex snapshots** are daily, scheduled at 03:00 UTC from 2025-11-05,
//! starting one to four minutes later and taking a few minutes; each
//! `expiration` is eight days after its schedule. With two or more, the
//! newest is still `RUNNING` (no `finishTime`), and every ninth from the
//! fifth on (never the first or the newest) `FAILED`; the rest are
//! `COMPLETED`. `mongoDBVersion` is `8.0.14` before 2025-11-09 and `8.0.15`
//! after.
//!
//! **Flex restore jobs** are spread evenly from the end of the first
//! snapshot to the cluster's current time, and each restores the newest
//! snapshot `COMPLETED` when it was scheduled (so every `snapshotId` resolves
//! to a completed snapshot of the cluster, and `snapshotFinishedDate` is its
//! `finishTime`). Every third job, from the second, is a `DOWNLOAD` (with a
//! `snapshotUrl` and `expirationDate` once `COMPLETED`); the others are
//! `RESTORE`s into `Cluster0`, `flex-restore` or `reporting` of the same
//! project. The newest job is `QUEUED`, the one before `RUNNING` (neither
//! has a `restoreFinishedDate`); a few are `FAILED`, the rest `COMPLETED`. A
//! cluster seeded with restore jobs and no snapshot gets one snapshot, for
//! them to restore.
//!
//! An instance holds at most [`MAX_JOBS_PER_INSTANCE`] (100 000) jobs, and a
//! Flex cluster as many jobs and as many snapshots. Past 10 000 serverless
//! jobs, snapshots come closer together (36 minutes apart at 100 000) so
//! that every epoch-seconds field still fits the spec's `int32`; past 3 650
//! Flex snapshots, they come closer than a day. Jobs stay in order with
//! unique, sorted ids. Data is generated once, when the sandbox starts, and
//! a page serializes only its own items, so a large instance costs memory
//! (roughly 1 KB an item) but not time per request; getting one item by id
//! scans its list.
//!
//! # Faults
//!
//! A test can make the sandbox misbehave, to check a client's retries,
//! timeouts and paging guards against a real HTTP server.
//!
//! **Queued faults.** [`Sandbox::inject`] queues [`Fault`]s for a path (an
//! exact path, or a prefix ending in `*`); each request whose path matches
//! uses up the next fault of the queue, and once the queue is empty that
//! path is served normally again. [`Sandbox::pending_faults`] says how many
//! faults are left and [`Sandbox::clear_faults`] drops them. A faulted
//! request is still recorded and counted like any other, and its fault
//! applies before authentication, so the credentials make no difference:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use atlas_endpoints_sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! // Two 503s, then a 429 with `Retry-After: 2`, then normal service.
//! sandbox.inject(
//!     "/api/atlas/v2/groups/*",
//!     [Fault::status(503), Fault::status(503), Fault::rate_limited(2, 100)],
//! );
//! # Ok(())
//! # }
//! ```
//!
//! What each fault makes the client see:
//!
//! * [`Fault::Status`] (built with [`Fault::status`], [`Fault::retry_after`]
//!   or [`Fault::rate_limited`]): the route is not run. The answer has the
//!   scripted status and an `ApiError` body with `Content-Type:
//!   application/json`; its `errorCode` is
//!   [`RATE_LIMITED`](error_codes::RATE_LIMITED) for 429,
//!   [`UNEXPECTED_ERROR`](error_codes::UNEXPECTED_ERROR) for 500,
//!   [`RESOURCE_NOT_FOUND`](error_codes::RESOURCE_NOT_FOUND) for 404, and
//!   otherwise the status's reason phrase in capitals with `_` for anything
//!   but letters and digits ([`SERVICE_UNAVAILABLE`](error_codes::SERVICE_UNAVAILABLE)
//!   for 503, `BAD_GATEWAY`, `GATEWAY_TIMEOUT`, ...), or
//!   [`SANDBOX_FAULT`](error_codes::SANDBOX_FAULT) for a status without one.
//!   `retry_after` adds `Retry-After: <seconds>`; `rate_limit` adds
//!   `RateLimit-Limit` and `RateLimit-Remaining` (any status may carry
//!   them; [`Fault::rate_limited`] sets a remaining count of 0). A status
//!   that cannot be sent as a final answer (below 200 or above 999) is
//!   answered 500 with a `detail` saying so.
//! * [`Fault::HtmlBadGateway`]: the route is not run; 502 with
//!   `Content-Type: text/html` and a small HTML error page, like a load
//!   balancer whose backend is down. A client that insists on JSON gets a
//!   decoding problem on top of the 502.
//! * [`Fault::ResetMidBody`]: the route runs; its status and headers are
//!   sent with a `Content-Length` announcing the whole body, then the first
//!   half of the body, and then (about 20 ms later) the connection is
//!   dropped. The client gets the head, but reading the body fails with a
//!   transport error rather than ending cleanly. (An empty body is sent
//!   chunked, without its closing chunk, so it fails too.)
//! * [`Fault::TruncatedJson`]: the route runs; 200 with its headers but only
//!   the first half of its body, and a `Content-Length` that matches that
//!   half. The HTTP exchange is complete and valid; the JSON is cut off, so
//!   only parsing fails.
//! * [`Fault::InvalidJson`]: the route is not run; 200 with `Content-Type:
//!   application/vnd.atlas.2023-01-01+json` and the body
//!   `{"results": [ nope`, which no JSON parser accepts.
//! * [`Fault::Delay`]: waits that long, then serves the request normally,
//!   e.g. to trip a client's timeout. The wait is asynchronous: other
//!   requests go on being served meanwhile.
//!
//! A fault is taken from its queue when the request arrives, so queued
//! faults go to requests in their order of arrival.
//!
//! **Latency.** [`SandboxBuilder::latency`] and [`Sandbox::set_latency`] add
//! a wait before every request (faulted or not; a [`Fault::Delay`] waits on
//! top of it). Each request waits on its own timer, so 20 requests in flight
//! with 20 ms of latency take about 20 ms together, not 400 ms.
//!
//! **Listing quirks.** [`Sandbox::set_listing_quirk`] bends every list
//! route's successful pages, to check that a client's paging cannot loop
//! forever or trust a wrong count:
//!
//! * [`ListingQuirk::SamePageForever`]: whatever `pageNum` asks, page 1's
//!   items, always a `next` link to `pageNum + 1`, and a `totalCount` ten
//!   times the real one.
//! * [`ListingQuirk::GrowingCount`]: right items and links, but each page
//!   served adds its `itemsPerPage` to the `totalCount` of the next page
//!   served (the first page after the quirk is set reports the real count).
//! * [`ListingQuirk::NextLinkPastTheEnd`]: right items and `totalCount`, but
//!   a `next` link on every page: on the last one and on the empty pages
//!   past the end too.
//!
//! # Limits
//!
//! Bodies are read up to 16 MiB (a larger one is recorded empty and answered
//! 413 `PAYLOAD_TOO_LARGE`, before latency and faults: its fault stays
//! queued). A request that is not valid HTTP/1.1 is refused
//! by the HTTP layer before it can be recorded.
//!
//! The sandbox remembers the 10 000 most recent Digest nonces and the 10 000
//! most recent access tokens; older ones are forgotten and then refused as if
//! never issued (so without `stale=true`, or without saying they expired).

mod auth;
mod checks;
mod engine;
mod errors;
mod faults;
mod recording;
mod render;
mod seed;
mod state;

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::{Auth, AuthConfig, Secret};
use crate::faults::Faults;
use crate::recording::Recorder;
use crate::state::{FlexSeed, InstanceSeed};

pub use crate::auth::digest::DigestAlgorithm;
pub use crate::engine::examples::{example_request, example_requests, ExampleRequest};
pub use crate::faults::{Fault, ListingQuirk, RateLimit};
pub use crate::seed::MAX_JOBS_PER_INSTANCE;

/// The project (group) id of the default seed.
pub const DEFAULT_GROUP_ID: &str = "5e2211c17a3e5a48f5497de3";
/// The serverless instance of the default seed that holds restore jobs.
pub const DEFAULT_INSTANCE: &str = "serverless-demo";
/// How many restore jobs [`DEFAULT_INSTANCE`] holds.
pub const DEFAULT_JOB_COUNT: usize = 42;
/// The serverless instance of the default seed that holds no restore job.
pub const DEFAULT_EMPTY_INSTANCE: &str = "empty-instance";
/// The Flex cluster of the default seed, in project [`DEFAULT_GROUP_ID`].
pub const DEFAULT_FLEX_CLUSTER: &str = "flex-demo";
/// How many restore jobs [`DEFAULT_FLEX_CLUSTER`] holds.
pub const DEFAULT_FLEX_JOB_COUNT: usize = 6;
/// How many snapshots [`DEFAULT_FLEX_CLUSTER`] holds: eight daily ones, as
/// Atlas keeps for a Flex cluster.
pub const DEFAULT_FLEX_SNAPSHOT_COUNT: usize = 8;
/// The bearer token a sandbox accepts unless [`SandboxBuilder::token`] says
/// otherwise.
pub const DEFAULT_TOKEN: &str = "sandbox-token";
/// The realm of the sandbox's HTTP Digest challenges, the one Atlas uses.
pub const DIGEST_REALM: &str = "MMS Public API";
/// How long a Digest nonce stays fresh unless
/// [`SandboxBuilder::nonce_lifetime`] says otherwise.
pub const DEFAULT_NONCE_LIFETIME: Duration = Duration::from_secs(300);
/// How long an access token lives unless [`SandboxBuilder::token_lifetime`]
/// says otherwise (Atlas's one hour).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The OAuth 2.0 token endpoint, on [`Sandbox::base_url`] (Atlas serves it
/// at `https://cloud.mongodb.com/api/oauth/token`).
pub const TOKEN_PATH: &str = "/api/oauth/token";
/// The OAuth 2.0 token revocation endpoint, on [`Sandbox::base_url`].
pub const REVOKE_PATH: &str = "/api/oauth/revoke";
/// The media type of API version 2023-01-01, which the serverless routes
/// serve.
pub const MEDIA_TYPE_2023_01_01: &str = "application/vnd.atlas.2023-01-01+json";
/// The media type of API version 2024-11-13, which the Flex routes serve.
pub const MEDIA_TYPE_2024_11_13: &str = "application/vnd.atlas.2024-11-13+json";
/// The `Sunset` header value of the serverless routes (HTTP date).
pub const SERVERLESS_SUNSET: &str = "Thu, 22 Jan 2026 00:00:00 GMT";

/// The `errorCode` values the sandbox answers with.
pub mod error_codes {
    /// 401: no credentials, or credentials the sandbox does not accept
    /// (unknown, expired or revoked token; wrong, stale or replayed Digest
    /// credentials).
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    /// 406: the `Accept` header does not name the route's version. The spec
    /// lists no code for this case; this one is the sandbox's choice.
    pub const INVALID_VERSION_DATE: &str = "INVALID_VERSION_DATE";
    /// 410: the route's version is sunset.
    pub const VERSION_GONE: &str = "VERSION_GONE";
    /// 400: a path or query parameter is invalid.
    pub const VALIDATION_ERROR: &str = "VALIDATION_ERROR";
    /// 404: unknown project, serverless instance, Flex cluster, restore job,
    /// snapshot or path.
    pub const RESOURCE_NOT_FOUND: &str = "RESOURCE_NOT_FOUND";
    /// 409: a Flex restore or download asked for a snapshot that exists but
    /// is not `COMPLETED`. The spec lists 409 for these operations but no
    /// code; this one is the sandbox's choice.
    pub const SNAPSHOT_NOT_COMPLETE: &str = "SNAPSHOT_NOT_COMPLETE";
    /// 405: a known path with an unsupported method (the sandbox's choice).
    pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
    /// 413: the body exceeds what the sandbox reads (the sandbox's choice).
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    /// 429, from a [`Fault::Status`](crate::Fault::Status) only: too many
    /// requests.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// 500, from a [`Fault::Status`](crate::Fault::Status) only.
    pub const UNEXPECTED_ERROR: &str = "UNEXPECTED_ERROR";
    /// 503, from a [`Fault::Status`](crate::Fault::Status) only.
    pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
    /// From a [`Fault::Status`](crate::Fault::Status) whose status has no
    /// standard reason phrase (e.g. 599).
    pub const SANDBOX_FAULT: &str = "SANDBOX_FAULT";
}

/// One request as the sandbox received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The raw path as received, percent-encoding preserved.
    pub path: String,
    /// The raw query string (without `?`), if the request had one.
    pub query: Option<String>,
    /// The headers, names lowercase, values decoded lossily as UTF-8; repeated
    /// headers appear once per value.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// One JSON success answer of the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineAnswer {
    /// The spec's operation id (`getGroupCluster`).
    pub operation_id: String,
    /// The API version served (`2024-08-05`).
    pub version: String,
    /// The HTTP status (without `envelope`).
    pub status: u16,
    /// The body, before `envelope` wrapped it.
    pub body: serde_json::Value,
}

/// A running sandbox: an HTTP server on `127.0.0.1` on a tokio task of the
/// runtime that started it. Dropping it shuts the server down gracefully.
pub struct Sandbox {
    addr: SocketAddr,
    base_url: String,
    auth: Arc<Auth>,
    engine: Arc<engine::Engine>,
    recorder: Recorder,
    faults: Faults,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("requests", &self.recorder.len())
            .field("pending_faults", &self.faults.pending())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default seed and token.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder, to choose the data, the token and extra routes.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The static bearer token the sandbox accepts.
    pub fn token(&self) -> &str {
        self.auth.token()
    }

    /// Makes every Digest nonce issued so far stale: credentials computed
    /// with one of them are refused with a new challenge saying
    /// `stale=true`. Nonces issued afterwards are fresh. Does nothing when no
    /// API key is configured.
    pub fn expire_nonces(&self) {
        self.auth.expire_nonces();
    }

    /// How many `POST`s reached [`TOKEN_PATH`] since the start, successful or
    /// not ([`reset_requests`](Sandbox::reset_requests) does not reset it).
    pub fn token_request_count(&self) -> usize {
        self.auth.oauth.token_requests()
    }

    /// How many `POST`s reached [`REVOKE_PATH`] since the start, successful
    /// or not ([`reset_requests`](Sandbox::reset_requests) does not reset
    /// it).
    pub fn revoke_count(&self) -> usize {
        self.auth.oauth.revoke_requests()
    }

    /// How many access tokens are issued, unexpired and unrevoked now.
    pub fn live_token_count(&self) -> usize {
        self.auth.oauth.live_count()
    }

    /// How many requests arrived since the start or the last
    /// [`reset_requests`](Sandbox::reset_requests).
    pub fn request_count(&self) -> usize {
        self.recorder.len()
    }

    /// The requests that arrived since the start or the last
    /// [`reset_requests`](Sandbox::reset_requests), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.all()
    }

    /// Forgets the recorded requests; the count starts again from 0.
    pub fn reset_requests(&self) {
        self.recorder.clear();
    }

    /// Queues `faults` for the requests whose path (as received, without the
    /// query) is exactly `path` or, when `path` ends with `*`, starts with
    /// what comes before the `*` (so `"*"` matches every request). Each
    /// matching request takes the next fault of the queue, in order; once it
    /// is empty, requests are served normally again.
    ///
    /// Queuing for the same `path` again appends to its queue. When queues of
    /// several patterns match a request, the pattern given first (among
    /// those with faults left) supplies its fault. See [Faults](crate#faults)
    /// for what each fault sends.
    pub fn inject(&self, path: &str, faults: impl IntoIterator<Item = Fault>) {
        self.faults.inject(path, faults);
    }

    /// How many queued faults no request has taken yet.
    pub fn pending_faults(&self) -> usize {
        self.faults.pending()
    }

    /// The JSON success answers the engine gave so far (at most the last 10,000), oldest
    /// first: for tests that check every answer against the spec. Answers of the
    /// hand-written backup routes are not kept.
    pub fn answers(&self) -> Vec<EngineAnswer> {
        self.engine.answers()
    }

    /// Moves the sandbox's clock on by `by`: resources in a lifecycle (a cluster being
    /// created, a snapshot being taken) move on as if that much time had passed. The clock
    /// also follows tokio's, so paused test time moves it too.
    pub fn advance(&self, by: Duration) {
        self.engine.clock.advance(by);
    }

    /// Puts the resource at `path` in its lifecycle's failed state (a snapshot `failed`,
    /// a search index `FAILED`, a cloud backup restore job `failed: true` with
    /// `finishedAt`), where it stays until a change starts another phase: for waiters
    /// that must see a failure. `path` is the resource's API path, with or without
    /// `/api/atlas/v2`, its segments percent-encoded or not
    /// (`/groups/{groupId}/accessList/10.0.0.0%2F16` or its `/status`).
    ///
    /// False when no resource in a lifecycle is there, or when its state field has no
    /// failure in the spec (clusters, Flex clusters, search deployments, online archives):
    /// [`Sandbox::hold`] makes a waiter for those time out instead.
    pub fn fail(&self, path: &str) -> bool {
        self.engine.fail(path)
    }

    /// Stops the resource at `path` (as for [`Sandbox::fail`]) in the state it shows now,
    /// however the clock moves, until a change starts another phase: a waiter for it times
    /// out deterministically. False when no resource in a lifecycle is there.
    pub fn hold(&self, path: &str) -> bool {
        self.engine.hold(path)
    }

    /// Shows `state` on the resource at `path` (as for [`Sandbox::fail`]) and holds it there
    /// (as [`Sandbox::hold`]), whatever its lifecycle would show: a state a waiter does not
    /// expect, or one it waits in. False when no resource in a lifecycle is there.
    pub fn set_state(&self, path: &str, state: &'static str) -> bool {
        self.engine.set_state(path, state)
    }

    /// The state the resource at `path` (as for [`Sandbox::fail`]) shows now, `None` when
    /// no resource in a lifecycle is there. A cloud backup restore job, which has no state
    /// field, is `RUNNING`, `COMPLETED` or `FAILED`.
    pub fn state_of(&self, path: &str) -> Option<String> {
        self.engine.state_of(path)
    }

    /// Drops every queued fault (the latency and listing quirk stay).
    pub fn clear_faults(&self) {
        self.faults.clear();
    }

    /// Adds `latency` to every request from now on (`Duration::ZERO` to
    /// stop), e.g. for benchmarks. Each request waits on its own timer: many
    /// requests in flight wait at the same time, not one after another.
    pub fn set_latency(&self, latency: Duration) {
        self.faults.set_latency(latency);
    }

    /// Makes every list route misbehave as `quirk` says from now on
    /// ([`ListingQuirk::None`] to stop). Setting a quirk, even the same one
    /// again, restarts the count of [`ListingQuirk::GrowingCount`].
    pub fn set_listing_quirk(&self, quirk: ListingQuirk) {
        self.faults.set_listing_quirk(quirk);
    }

    /// Stops accepting connections and waits (up to 5 seconds, then aborts)
    /// for the server to finish the requests in flight. Dropping the sandbox
    /// also stops it, without waiting.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Configures a [`Sandbox`] before it starts.
///
/// Its `Debug` output leaves out private keys and client secrets.
#[derive(Debug, Default)]
pub struct SandboxBuilder {
    instances: Vec<InstanceSeed>,
    flex_clusters: Vec<FlexSeed>,
    token: Option<String>,
    digest_keys: Vec<(String, Secret)>,
    digest_algorithm: DigestAlgorithm,
    nonce_lifetime: Option<Duration>,
    service_accounts: Vec<(String, Secret)>,
    token_lifetime: Option<Duration>,
    sunset_serverless: bool,
    latency: Duration,
    routers: Vec<Router>,
    port: u16,
    example_data: bool,
}

/// Builder methods that store their one argument in the field of their name (through
/// `$wrap`, such as `Some`, when given) and return the builder.
macro_rules! setters {
    ($($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) $(=> $wrap:path)?;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $arg: $ty) -> Self {
            self.$name = $($wrap)?($arg);
            self
        }
    )*};
}

impl SandboxBuilder {
    /// Adds serverless instance `name` to project `group_id`, with `jobs`
    /// restore jobs (at most [`MAX_JOBS_PER_INSTANCE`]) and one snapshot per
    /// job, the one it restores. Once any instance or Flex cluster is added,
    /// the default seed is not used. Adding the same instance again replaces
    /// it. Ids or names that do not match the spec's patterns are stored but
    /// can never be reached (requests for them answer 400).
    pub fn instance(mut self, group_id: &str, name: &str, jobs: usize) -> Self {
        self.instances.push(InstanceSeed {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            jobs,
        });
        self
    }

    /// Adds Flex cluster `name` to project `group_id`, with `restore_jobs`
    /// restore jobs and `snapshots` daily snapshots (each at most
    /// [`MAX_JOBS_PER_INSTANCE`]; a cluster with restore jobs gets at least
    /// one snapshot, for them to restore). See [Data](crate#data). Once any
    /// instance or Flex cluster is added, the default seed is not used.
    /// Adding the same cluster again replaces it; ids or names that do not
    /// match the spec's patterns can never be reached.
    pub fn flex_cluster(
        mut self,
        group_id: &str,
        name: &str,
        restore_jobs: usize,
        snapshots: usize,
    ) -> Self {
        self.flex_clusters.push(FlexSeed {
            group_id: group_id.to_owned(),
            name: name.to_owned(),
            jobs: restore_jobs,
            snapshots,
        });
        self
    }

    /// The static bearer token to accept instead of [`DEFAULT_TOKEN`].
    pub fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_owned());
        self
    }

    /// Adds a programmatic API key for HTTP Digest: `public_key` is the
    /// username, `private_key` the password. Call it once per key; adding a
    /// public key again replaces its private key. With at least one key,
    /// every 401 carries a Digest challenge.
    pub fn digest_key(mut self, public_key: &str, private_key: &str) -> Self {
        self.digest_keys
            .push((public_key.to_owned(), Secret::new(private_key)));
        self
    }

    setters! {
        /// The Digest hash function: [`DigestAlgorithm::Md5`] (the default, as
        /// Atlas) or [`DigestAlgorithm::Sha256`]. Credentials must use this one.
        fn digest_algorithm(algorithm: DigestAlgorithm);

        /// How long a Digest nonce stays fresh after it is issued
        /// ([`DEFAULT_NONCE_LIFETIME`] unless set). Right credentials with an
        /// older nonce get a 401 whose new challenge says `stale=true`.
        /// `Duration::ZERO` makes every nonce stale as soon as it is issued.
        fn nonce_lifetime(lifetime: Duration) => Some;
    }

    /// Adds a service account for the OAuth 2.0 client credentials grant.
    /// Call it once per account; adding a client id again replaces its
    /// secret.
    pub fn service_account(mut self, client_id: &str, client_secret: &str) -> Self {
        self.service_accounts
            .push((client_id.to_owned(), Secret::new(client_secret)));
        self
    }

    setters! {
        /// How long an issued access token is accepted
        /// ([`DEFAULT_TOKEN_LIFETIME`] unless set). The token response's
        /// `expires_in` is this lifetime in seconds, rounded up, and at least 1.
        /// `Duration::ZERO` issues tokens that are already expired (while still
        /// announcing `expires_in: 1`), to test how a client handles a token the
        /// server no longer accepts.
        fn token_lifetime(lifetime: Duration) => Some;

        /// When `on`, every version past its sunset answers 410 `VERSION_GONE` with a
        /// `Sunset` header (after authentication), as Atlas does: the serverless
        /// backups (sunset 2026-01-22) and the other versions the spec dates before
        /// the sandbox's today (2026-12-01). Off by default.
        fn sunset_serverless(on: bool);

        /// Adds `latency` to every request from the start, as
        /// [`Sandbox::set_latency`] does later.
        fn latency(latency: Duration);

        /// Adds one object to every collection that holds state, named as
        /// [`example_requests`] name them, so that every example request finds what it
        /// reads (a team, an identity provider, a search index, ...). Off by default:
        /// listings then hold only the default data.
        fn example_data(on: bool);

        /// Listens on `127.0.0.1:port` instead of a free port the system picks.
        fn port(port: u16);
    }

    /// Merges extra routes (e.g. a library's own endpoints) into the sandbox.
    /// Their requests are recorded and counted like any other. A fallback set
    /// on `router` is discarded: unmatched paths get the sandbox's 404.
    ///
    /// # Panics
    ///
    /// [`start`](SandboxBuilder::start) panics, as [`Router::merge`] does, if
    /// `router` declares the same method on the same path as the sandbox or
    /// as another added router.
    pub fn route(mut self, router: Router) -> Self {
        self.routers.push(router);
        self
    }

    /// Binds `127.0.0.1:0` and serves on a task spawned on the current tokio
    /// runtime (a current-thread runtime such as `#[tokio::test]`'s works).
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    ///
    /// # Panics
    ///
    /// When called outside a tokio runtime, or when added routes overlap (see
    /// [`route`](SandboxBuilder::route)).
    pub async fn start(self) -> io::Result<Sandbox> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let auth = Arc::new(Auth::new(AuthConfig {
            token: self.token.unwrap_or_else(|| DEFAULT_TOKEN.to_owned()),
            digest_keys: self.digest_keys,
            digest_algorithm: self.digest_algorithm,
            nonce_lifetime: self.nonce_lifetime.unwrap_or(DEFAULT_NONCE_LIFETIME),
            service_accounts: self.service_accounts,
            token_lifetime: self.token_lifetime.unwrap_or(DEFAULT_TOKEN_LIFETIME),
        }));

        let with_backups = if self.instances.is_empty() && self.flex_clusters.is_empty() {
            default_seed()
        } else {
            (self.instances, self.flex_clusters)
        };
        let faults = Faults::default();
        faults.set_latency(self.latency);
        let mut seed = engine_seed();
        if self.example_data {
            seed.extend(engine::examples::example_objects());
        }
        let engine = Arc::new(engine::Engine::new(engine::EngineConfig {
            base_url: base_url.clone(),
            auth: Arc::clone(&auth),
            faults: faults.clone(),
            emulate_sunset: self.sunset_serverless,
            seed,
            with_backups,
        }));
        let mut app = auth::oauth::routes().with_state(Arc::clone(&auth));
        for router in self.routers {
            app = app.merge(router.reset_fallback());
        }
        // Every operation of the API goes to the engine, which answers 404 and 405 for what
        // the spec does not declare.
        let app = app
            .method_not_allowed_fallback(engine::method_not_allowed)
            .fallback_service(axum::routing::any(engine::serve).with_state(Arc::clone(&engine)));

        // The recorder wraps the whole app as one fallback service, so it
        // sees every request first and exactly as received; faults come next
        // (the last layer added is the outermost), before any route and so
        // before authentication.
        let recorder = Recorder::default();
        let app = Router::new()
            .fallback_service(app)
            .layer(axum::middleware::from_fn_with_state(
                faults.clone(),
                faults::apply,
            ))
            .layer(axum::middleware::from_fn_with_state(
                recorder.clone(),
                recording::record,
            ));

        let (shutdown, signal) = oneshot::channel::<()>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            // A dropped sender ends the wait too.
            let _ = signal.await;
        });
        let task = tokio::spawn(async move {
            // `serve` only returns once shut down; it reports no error.
            let _ = server.await;
        });

        Ok(Sandbox {
            addr,
            base_url,
            auth,
            engine,
            recorder,
            faults,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }
}

/// The data of a sandbox to which nothing was added.
fn default_seed() -> (Vec<InstanceSeed>, Vec<FlexSeed>) {
    let instance = |name: &str, jobs| InstanceSeed {
        group_id: DEFAULT_GROUP_ID.to_owned(),
        name: name.to_owned(),
        jobs,
    };
    (
        vec![
            instance(DEFAULT_INSTANCE, DEFAULT_JOB_COUNT),
            instance(DEFAULT_EMPTY_INSTANCE, 0),
        ],
        vec![FlexSeed {
            group_id: DEFAULT_GROUP_ID.to_owned(),
            name: DEFAULT_FLEX_CLUSTER.to_owned(),
            jobs: DEFAULT_FLEX_JOB_COUNT,
            snapshots: DEFAULT_FLEX_SNAPSHOT_COUNT,
        }],
    )
}

/// The organization of the engine's default data.
pub const DEFAULT_ORG_ID: &str = "5e2211c17a3e5a48f5497de0";
/// The dedicated cluster of the engine's default data, in project [`DEFAULT_GROUP_ID`].
pub const DEFAULT_CLUSTER: &str = "Cluster0";

/// What the engine holds from the start besides the backups: the default organization
/// and project, and a dedicated cluster.
fn engine_seed() -> Vec<(String, serde_json::Value)> {
    use serde_json::json;
    let group = format!("groups/{DEFAULT_GROUP_ID}");
    vec![
        (
            format!("orgs/{DEFAULT_ORG_ID}"),
            json!({"id": DEFAULT_ORG_ID, "name": "sandbox-org", "isDeleted": false}),
        ),
        (
            group.clone(),
            json!({"id": DEFAULT_GROUP_ID, "name": "sandbox-project", "orgId": DEFAULT_ORG_ID,
                   "clusterCount": 1, "created": "2026-01-01T00:00:00Z"}),
        ),
        (
            format!("{group}/clusters/{DEFAULT_CLUSTER}"),
            json!({"name": DEFAULT_CLUSTER, "groupId": DEFAULT_GROUP_ID, "clusterType": "REPLICASET",
                   "stateName": "IDLE", "mongoDBMajorVersion": "8.0",
                   "replicationSpecs": [{"zoneName": "Zone 1", "regionConfigs": [{
                       "providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
                       "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}}]}]}),
        ),
    ]
}
