import type { Metadata } from 'next';
import { StoreAccess } from './store-access';

export const metadata: Metadata = { title: 'Sign in to the store · OTP Access' };

export default async function StorePage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  return <StoreAccess storeId={storeId} />;
}
