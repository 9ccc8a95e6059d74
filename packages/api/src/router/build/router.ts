import type { TRPCRouterRecord } from '@trpc/server';
import { deleteBuildProcedure } from './delete-build';
import { listBuildsProcedure } from './list-builds';
import { publishBuildProcedure } from './publish-build';
import { uploadBuildProcedure } from './upload-build';

export const buildRouter = {
  list: listBuildsProcedure,
  upload: uploadBuildProcedure,
  publish: publishBuildProcedure,
  delete: deleteBuildProcedure,
} satisfies TRPCRouterRecord;
