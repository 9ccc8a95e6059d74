/**
 * Build files of published applications live in storage outside the database. Deleting an
 * organization or a store removes their rows in one transaction, then hands the ids of the
 * published applications that went with them to this hook, which removes their files.
 */
export type RemoveStoredBuilds = (removed: {
  organizationId: string;
  publishedApplicationIds: readonly string[];
}) => Promise<void>;

/** Builds kept in the database row itself leave with it: nothing else to remove. */
export const keepNoStoredBuilds: RemoveStoredBuilds = async () => {};
