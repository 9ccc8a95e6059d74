import pg from 'pg';
import { recountOtpUsers } from './counters';

export interface ScaleSeedOptions {
  connectionString: string;
  /** Organization (slug) whose first store and published application receive the users. */
  organizationSlug: string;
  count: number;
  batchSize?: number;
  /** First 8 hex digits of the generated ids, so two organizations' synthetic users never collide. */
  idPrefix?: string;
  onProgress?: (inserted: number, total: number) => void;
}

/*
 * Addresses look like a real population (`first.last<n>@domain`, from 48 first names, 48 last
 * names and 12 domains) rather than all sharing one prefix: a substring search's cost depends on
 * how common the searched letters are, and a million addresses that all begin with the same word
 * would measure a population no store has.
 */
const FIRST_NAMES = `{olivia,liam,emma,noah,ava,elijah,sophia,james,isabella,lucas,mia,mateo,amelia,levi,harper,
  ezra,evelyn,luca,abigail,asher,emily,leo,ella,jack,elif,yusuf,zeynep,omer,ayse,mehmet,fatma,ali,hana,
  kenji,yuki,arjun,priya,wei,mei,carlos,lucia,pierre,chloe,lars,ingrid,tomasz,anna,dmitri}`;
const LAST_NAMES = `{smith,johnson,garcia,miller,davis,rodriguez,martinez,lopez,wilson,anderson,thomas,moore,
  jackson,martin,lee,thompson,white,harris,clark,lewis,walker,young,allen,king,yilmaz,kaya,demir,sahin,
  celik,sato,suzuki,tanaka,kumar,singh,chen,wang,li,zhang,muller,schmidt,schneider,dubois,bernard,rossi,
  russo,nowak,kowalski,ivanov}`;
const DOMAINS = `{gmail.com,outlook.com,yahoo.com,icloud.com,hotmail.com,proton.me,example.com,acme.io,
  contoso.com,fabrikam.net,globex.org,initech.co}`;

/**
 * Adds `count` synthetic OTP users with set-based SQL (generate_series), for benchmarks and
 * EXPLAIN at scale: about a million rows a minute here. Ids and emails derive from the row number,
 * so running it again adds nothing.
 */
export async function seedScale(options: ScaleSeedOptions): Promise<void> {
  const batchSize = options.batchSize ?? 100_000;
  const idPrefix = options.idPrefix ?? '5ca1e000';
  if (!/^[0-9a-f]{8}$/.test(idPrefix)) throw new Error('idPrefix must be 8 lower-case hex digits');
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{
      organization_id: string;
      store_id: string;
      published_application_id: string;
    }>(
      `SELECT o.id AS organization_id, s.id AS store_id, pa.id AS published_application_id
         FROM organization o
         JOIN store s ON s.organization_id = o.id
         JOIN published_application pa ON pa.store_id = s.id
        WHERE o.slug = $1
        ORDER BY s.created_at, s.id, pa.created_at, pa.id
        LIMIT 1`,
      [options.organizationSlug],
    );
    const target = rows[0];
    if (!target)
      throw new Error(
        `Organization "${options.organizationSlug}" has no store with a published application.`,
      );
    for (let start = 1; start <= options.count; start += batchSize) {
      const end = Math.min(options.count, start + batchSize - 1);
      await client.query(
        `INSERT INTO otp_user (id, organization_id, store_id, published_application_id, email,
                               allowed_downloads_num, downloads_count, created_at, updated_at)
         SELECT $6::text || lpad(to_hex(g), 16, '0'), $1, $2, $3,
                (($7::text[])[1 + g % 48]) || '.' || (($8::text[])[1 + (g / 48) % 48]) || g || '@' ||
                  (($9::text[])[1 + (g / 7) % 12]),
                (g % 11) - 1, 0,
                timestamptz '2026-01-01' + g * interval '1 second',
                timestamptz '2026-01-01' + g * interval '1 second'
           FROM generate_series($4::int, $5::int) AS g
         ON CONFLICT DO NOTHING`,
        [
          target.organization_id,
          target.store_id,
          target.published_application_id,
          start,
          end,
          idPrefix,
          compact(FIRST_NAMES),
          compact(LAST_NAMES),
          compact(DOMAINS),
        ],
      );
      options.onProgress?.(end, options.count);
    }
    await recountOtpUsers((sql, params) => client.query(sql, params));
    await client.query('ANALYZE otp_user');
  } finally {
    await client.end();
  }
}

/** The lists above are PostgreSQL array literals, wrapped for reading. */
function compact(arrayLiteral: string): string {
  return arrayLiteral.replace(/\s+/g, '');
}
