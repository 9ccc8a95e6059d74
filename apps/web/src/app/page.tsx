export default function HomePage() {
  return (
    <main>
      <h1>OTP Access</h1>
      <p>One-time-password access to private app stores.</p>
      <h2>APIs</h2>
      <ul>
        <li>
          REST (Applivery-compatible):{' '}
          <code>/v1/organizations/{'{organizationSlug}'}/stores/…/otp-users</code> with{' '}
          <code>Authorization: Bearer &lt;API key&gt;</code>
        </li>
        <li>
          tRPC: <code>/api/trpc</code> (typed client: <code>@otp-access/client</code>)
        </li>
        <li>
          Health: <a href="/api/health">/api/health</a>
        </li>
      </ul>
    </main>
  );
}
