using Npgsql;

namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// <see cref="NpgsqlContactStore"/>'s demo data for the Development seed and the tests: deterministic names and emails,
/// some opted out, some do-not-contact, some tagged, some enrolled in the Welcome and Onboarding sequences.
/// </summary>
public sealed partial class NpgsqlContactStore
{
    private const string DemoSeedSql = """
        INSERT INTO sequences (id, workspace_id, name)
        SELECT ids.id, @workspace_id, ids.name
        FROM unnest(@sequence_ids::uuid[], @sequence_names::text[]) AS ids (id, name)
        ON CONFLICT (workspace_id, name) DO NOTHING;

        WITH series AS (
            SELECT s.n,
                   first_names[1 + (s.n * 7) % cardinality(first_names)] AS first_name,
                   last_names[1 + (s.n * 13) % cardinality(last_names)] AS last_name,
                   companies[1 + s.n % cardinality(companies)] AS company,
                   -- Older the lower n: the last contact is the newest.
                   now() - make_interval(secs => @count - s.n) AS created_at
            FROM generate_series(1, @count) AS s (n),
                 (SELECT ARRAY['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Oliver', 'Sophia', 'Elijah', 'Isabella', 'James',
                               'Mia', 'William', 'Amelia', 'Benjamin', 'Harper', 'Lucas', 'Evelyn', 'Henry', 'Abigail', 'Theo',
                               'Chloe', 'Mateo', 'Zoe', 'Leo', 'Nora', 'Jack', 'Lily', 'Levi', 'Aria', 'Owen'] AS first_names,
                         ARRAY['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
                               'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
                               'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Lewis'] AS last_names,
                         ARRAY['Acme Corp', 'Globex', 'Initech', 'Umbrella Health', 'Stark Industries', 'Wayne Enterprises',
                               'Hooli', 'Vandelay Industries', 'Soylent', 'Cyberdyne', 'Wonka Foods', 'Tyrell', 'Massive Dynamic',
                               'Aperture Labs', 'Pied Piper', 'Dunder Mifflin', 'Gringotts', 'Oceanic Air', 'Monarch Solutions',
                               'Blue Sun'] AS companies) AS names
        ),
        inserted AS (
            INSERT INTO contacts (id, workspace_id, email, first_name, last_name, company, phone, opted_out, do_not_contact,
                                  created_at, updated_at)
            -- A UUIDv7 for the contact's creation time, so that "newest first" pages by id as for any other contact.
            SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                       PLACING substring(int8send((extract(epoch FROM s.created_at) * 1000)::bigint) FROM 3)
                       FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid,
                   @workspace_id,
                   lower(s.first_name || '.' || s.last_name || '.' || s.n || '@example.com'),
                   s.first_name,
                   s.last_name,
                   s.company,
                   '+1 555 ' || lpad((s.n % 10000)::text, 4, '0'),
                   s.n % 23 = 0,
                   s.n % 37 = 0,
                   s.created_at,
                   s.created_at
            FROM series s
            ON CONFLICT (workspace_id, email) DO NOTHING
            RETURNING id, email
        ),
        numbered AS (
            SELECT i.id, s.n
            FROM inserted i
            JOIN series s ON lower(s.first_name || '.' || s.last_name || '.' || s.n || '@example.com') = i.email
        ),
        tagged AS (
            INSERT INTO contact_tags (contact_id, tag, workspace_id)
            SELECT nb.id, t.tag, @workspace_id
            FROM numbered nb
            CROSS JOIN LATERAL (VALUES ('customer', nb.n % 3 = 0),
                                       ('newsletter', nb.n % 4 = 0),
                                       ('vip', nb.n % 17 = 0),
                                       ('lead', nb.n % 5 = 1)) AS t (tag, applies)
            WHERE t.applies
        )
        INSERT INTO sequence_enrollments (sequence_id, contact_id, workspace_id)
        SELECT q.id, nb.id, @workspace_id
        FROM numbered nb
        JOIN sequences q ON q.workspace_id = @workspace_id
                        AND ((q.name = 'Welcome' AND nb.n % 10 = 0) OR (q.name = 'Onboarding' AND nb.n % 25 = 0))
        ON CONFLICT (sequence_id, contact_id) DO NOTHING;
        """;

    public async Task DemoSeedAsync(Guid workspaceId, IReadOnlyList<string> sequenceNames, int count, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DemoSeedSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("count", count);
        command.Parameters.AddWithValue("sequence_ids", sequenceNames.Select(_ => Guid.CreateVersion7()).ToArray());
        command.Parameters.AddWithValue("sequence_names", sequenceNames.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
