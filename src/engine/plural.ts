// The wording is the protocol's (src/protocol/plural.ts), shared with the editor and the
// results view. This module only keeps the path the local-logs source imports it by, while
// another change is under way there; new code imports the protocol's.
export { plural } from '../protocol/plural';
