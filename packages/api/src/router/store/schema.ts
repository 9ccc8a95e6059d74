import { ZPageQuery, ZStorePage } from '@otp-access/validators';

export const ZListStoresInput = ZPageQuery.strict();
export const ZListStoresOutput = ZStorePage;
