import { ZObjectId, ZPageQuery, ZPublishedApplicationPage } from '@otp-access/validators';

export const ZListPublishedApplicationsInput = ZPageQuery.extend({ storeId: ZObjectId }).strict();
export const ZListPublishedApplicationsOutput = ZPublishedApplicationPage;
