import { deleteOrganizationBuilds, removeBuildFiles } from './builds/catalog';
import type { BuildStorage } from './builds/storage';

/**
 * Build files of published applications live in storage outside the database. Deleting an
 * organization or a store removes their rows in one transaction, then hands this hook what went
 * with them: a whole organization (its storage prefix), or the storage keys of a store's builds,
 * read inside the transaction before the rows went.
 */
export type RemovedBuilds =
  | { organizationId: string; wholeOrganization: true }
  | { organizationId: string; storageKeys: readonly string[] };
export type RemoveStoredBuilds = (removed: RemovedBuilds) => Promise<void>;

/** Builds kept in the database row itself leave with it: nothing else to remove. */
export const keepNoStoredBuilds: RemoveStoredBuilds = async () => {};

/** Removes the files of deleted builds from the storage they were kept in. */
export function removeFromStorage(storage: BuildStorage): RemoveStoredBuilds {
  return (removed) =>
    'wholeOrganization' in removed
      ? deleteOrganizationBuilds(storage, removed.organizationId)
      : removeBuildFiles(storage, removed.storageKeys);
}
