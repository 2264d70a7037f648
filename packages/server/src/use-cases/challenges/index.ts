// A challenge's verbs (SPEC §7), one use case each, shared by the hosted page, the server API and the
// v2 flow. Every change of status is a move of the table in @vigil/core (challenges/status.ts).
export { announceChallenge } from './announce.js';
export { type Channel, channelFor, channelsOf } from './channels.js';
export { completeChallenge } from './complete-challenge.js';
export { loadChallenge } from './load-challenge.js';
export { activeDevices, deviceLimitOf, logOutDevice } from './log-out-device.js';
export { presentChallenge } from './present-challenge.js';
export { sendChallengeCode } from './send-challenge-code.js';
export { skipChallenge } from './skip-challenge.js';
export { codeCheckError, verifyChallengeCode } from './verify-challenge-code.js';
