export { browserFamiliarity, isFamiliar, networkFamiliarity, shareOf } from './measure.js';
export { type Login, observeLogin, settleLogin } from './learn.js';
export { mergeProfiles } from './merge.js';
export {
  emptyProfile,
  FAMILIARITY_DIMENSIONS,
  type FamiliarityDimension,
  type FamiliarityProfile,
  type FamiliarValue,
  type LoginTraits,
  MAX_PENDING,
  MAX_VALUES_PER_DIMENSION,
  parseProfile,
  type PendingLogin,
} from './profile.js';
export { ipPrefixOf, loginPlace, loginTraits } from './traits.js';
export { type LoginSettlement, type LoginTrust, loginTrust } from './trust.js';
