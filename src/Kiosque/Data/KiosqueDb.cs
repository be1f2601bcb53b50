using Kiosque.Content;
using Kiosque.Newsroom;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kiosque.Data;

/// <summary>
/// The one model. Provider subclasses (<see cref="SqliteKiosqueDb"/>, <see cref="PostgresKiosqueDb"/>)
/// exist only so that each owns its own migrations. Newsroom accounts (ASP.NET Core Identity) and
/// the data-protection keys live in the same database, so several nodes share sign-ins and links.
/// </summary>
public abstract class KiosqueDb(DbContextOptions options) : IdentityDbContext<StaffUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleAuthor> ArticleAuthors => Set<ArticleAuthor>();
    public DbSet<ArticleTag> ArticleTags => Set<ArticleTag>();
    public DbSet<Correction> Corrections => Set<Correction>();
    public DbSet<Author> Authors => Set<Author>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Tag> Tags => Set<Tag>();
    public DbSet<MediaAsset> Media => Set<MediaAsset>();
    public DbSet<Redirect> Redirects => Set<Redirect>();
    public DbSet<ContentChange> ContentChanges => Set<ContentChange>();
    public DbSet<ArticleRevision> Revisions => Set<ArticleRevision>();
    public DbSet<HomeSlot> HomeSlots => Set<HomeSlot>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<NewsroomSetting> Settings => Set<NewsroomSetting>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Raised after a save that logged content changes, so this node reacts at once instead of at its next poll.</summary>
    public static event Action? ChangesLogged;

    /// <summary>The newest change-log row this context wrote, so a request can wait until this node has applied it.</summary>
    public long LastChangeId { get; private set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves, and appends to the change log in the same transaction. The log rows are written after
    /// the entities so that new ones already have their ids.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var pending = PendingChanges();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // The lists each changed article was in, read inside the transaction before the write,
            // so caches on every node can refresh the lists it leaves (see ArticleMemberships).
            var existing = pending.Where(p => p.Scope == ChangeScope.Article).Select(p => p.Id()).Where(id => id > 0).ToHashSet();
            var before = await ArticleMemberships.ReadAsync(this, existing, cancellationToken);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            var at = DateTime.UtcNow;
            var changes = pending.Select(p => p.Resolve()).Distinct().ToList();
            var after = await ArticleMemberships.ReadAsync(this, changes.Where(c => c.Scope == ChangeScope.Article).Select(c => c.Id).ToHashSet(), cancellationToken);
            var logged = changes.Select(c => new ContentChange
            {
                At = at,
                Scope = c.Scope,
                EntityId = c.Id,
                Deleted = c.Deleted,
                Before = c.Scope == ChangeScope.Article ? before.GetValueOrDefault(c.Id, "") : null,
                After = c.Scope == ChangeScope.Article ? after.GetValueOrDefault(c.Id, "") : null,
            }).ToList();
            ContentChanges.AddRange(logged);
            await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            LastChangeId = Math.Max(LastChangeId, logged.Max(c => c.Id));
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
                ChangesLogged?.Invoke();
            }
            return saved;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    /// <summary>Caller-owned transactions tell this node themselves once they commit.</summary>
    public static void NotifyChangesLogged() => ChangesLogged?.Invoke();

    private sealed record PendingChange(ChangeScope Scope, Func<int> Id, bool Deleted)
    {
        public (ChangeScope Scope, int Id, bool Deleted) Resolve() => (Scope, Id(), Deleted);
    }

    private List<PendingChange> PendingChanges()
    {
        var pending = new List<PendingChange>();
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }
            var deleted = entry.State == EntityState.Deleted;
            // Ids are read after the save (new rows get theirs then), except for deleted rows.
            PendingChange? change = entry.Entity switch
            {
                Article a => new(ChangeScope.Article, Capture(a.Id, () => a.Id, deleted), deleted),
                ArticleAuthor a => new(ChangeScope.Article, Capture(a.ArticleId, () => a.ArticleId, deleted), false),
                ArticleTag t => new(ChangeScope.Article, Capture(t.ArticleId, () => t.ArticleId, deleted), false),
                Correction c => new(ChangeScope.Article, Capture(c.ArticleId, () => c.ArticleId, deleted), false),
                Section s => new(ChangeScope.Section, Capture(s.Id, () => s.Id, deleted), deleted),
                Tag t => new(ChangeScope.Tag, Capture(t.Id, () => t.Id, deleted), deleted),
                Author a => new(ChangeScope.Author, Capture(a.Id, () => a.Id, deleted), deleted),
                MediaAsset m => new(ChangeScope.Media, Capture(m.Id, () => m.Id, deleted), deleted),
                Redirect r => new(ChangeScope.Redirect, Capture(r.Id, () => r.Id, deleted), deleted),
                HomeSlot h => new(ChangeScope.Home, () => h.Position, deleted),
                _ => null,
            };
            if (change is not null)
            {
                pending.Add(change);
            }
        }
        return pending;
    }

    private static Func<int> Capture(int now, Func<int> later, bool deleted) => deleted ? () => now : later;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC. SQLite hands DateTime back as Unspecified and Npgsql refuses to
        // write a non-UTC value to timestamptz, so the kind is pinned on the way in and out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<ArticleStatus>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var modelBuilder = builder;
        modelBuilder.Entity<StaffUser>(user => user.Property(u => u.DisplayName).HasMaxLength(200));
        modelBuilder.Entity<Article>(article =>
        {
            article.Property(a => a.Version).IsConcurrencyToken();
            article.Property(a => a.CreatedById).HasMaxLength(450);
            article.HasIndex(a => new { a.Status, a.ScheduledAt });
            article.Property(a => a.Slug).HasMaxLength(200);
            article.HasIndex(a => a.Slug).IsUnique();
            article.Property(a => a.Kicker).HasMaxLength(120);
            article.Property(a => a.Headline).HasMaxLength(300);
            article.Property(a => a.Standfirst).HasMaxLength(1000);
            article.Property(a => a.SeoTitle).HasMaxLength(300);
            article.Property(a => a.SeoDescription).HasMaxLength(500);
            // Lists are "published, newest first", by section or not.
            article.HasIndex(a => new { a.Status, a.PublishedAt });
            article.HasIndex(a => new { a.SectionId, a.Status, a.PublishedAt });
            article.HasOne(a => a.HeroMedia).WithMany().HasForeignKey(a => a.HeroMediaId).OnDelete(DeleteBehavior.SetNull);
            article.HasOne(a => a.Section).WithMany().HasForeignKey(a => a.SectionId).OnDelete(DeleteBehavior.Restrict);
            article.HasMany(a => a.Authors).WithOne().HasForeignKey(a => a.ArticleId);
            article.HasMany(a => a.Tags).WithOne().HasForeignKey(t => t.ArticleId);
            article.HasMany(a => a.Corrections).WithOne().HasForeignKey(c => c.ArticleId);
        });
        modelBuilder.Entity<ArticleAuthor>(byline =>
        {
            byline.HasKey(a => new { a.ArticleId, a.AuthorId });
            byline.HasIndex(a => a.AuthorId);
            byline.HasOne(a => a.Author).WithMany().HasForeignKey(a => a.AuthorId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ArticleTag>(tag =>
        {
            tag.HasKey(t => new { t.ArticleId, t.TagId });
            tag.HasIndex(t => t.TagId);
            tag.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Correction>(correction =>
        {
            correction.Property(c => c.Text).HasMaxLength(2000);
            correction.HasIndex(c => c.ArticleId);
        });
        modelBuilder.Entity<Author>(author =>
        {
            author.Property(a => a.Slug).HasMaxLength(120);
            author.HasIndex(a => a.Slug).IsUnique();
            author.Property(a => a.Name).HasMaxLength(200);
            author.Property(a => a.Bio).HasMaxLength(2000);
            author.HasOne(a => a.Photo).WithMany().HasForeignKey(a => a.PhotoMediaId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<Section>(section =>
        {
            section.Property(s => s.Slug).HasMaxLength(120);
            section.HasIndex(s => s.Slug).IsUnique();
            section.Property(s => s.Name).HasMaxLength(120);
            section.Property(s => s.Description).HasMaxLength(1000);
        });
        modelBuilder.Entity<Tag>(tag =>
        {
            tag.Property(t => t.Slug).HasMaxLength(120);
            tag.HasIndex(t => t.Slug).IsUnique();
            tag.Property(t => t.Name).HasMaxLength(120);
        });
        modelBuilder.Entity<MediaAsset>(media =>
        {
            media.Property(m => m.FileName).HasMaxLength(400);
            media.Property(m => m.ContentType).HasMaxLength(100);
            media.Property(m => m.Credit).HasMaxLength(300);
            media.Property(m => m.Caption).HasMaxLength(1000);
            media.Property(m => m.Alt).HasMaxLength(1000);
            media.Property(m => m.Name).HasMaxLength(255);
            media.Property(m => m.Sha256).HasMaxLength(64);
            media.Property(m => m.OriginalPath).HasMaxLength(200);
            media.Property(m => m.RenditionsPath).HasMaxLength(200);
            media.Property(m => m.CropsPath).HasMaxLength(200);
            media.Property(m => m.RenditionError).HasMaxLength(500);
            // The rendition worker's poll: "what is still to do", on every node, every few seconds.
            media.HasIndex(m => m.RenditionsPending);
        });
        modelBuilder.Entity<ContentChange>(change =>
        {
            change.Property(c => c.Scope).HasConversion<string>().HasMaxLength(16);
        });
        modelBuilder.Entity<ArticleRevision>(revision =>
        {
            revision.HasIndex(r => new { r.ArticleId, r.Version });
            revision.Property(r => r.UserId).HasMaxLength(450);
            revision.Property(r => r.UserName).HasMaxLength(200);
            revision.Property(r => r.Kind).HasMaxLength(32);
            revision.HasOne<Article>().WithMany().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<HomeSlot>(slot =>
        {
            slot.HasKey(s => s.Position);
            slot.Property(s => s.Position).ValueGeneratedNever();
            slot.HasOne(s => s.Article).WithMany().HasForeignKey(s => s.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.HasIndex(e => e.At);
            entry.Property(e => e.UserId).HasMaxLength(450);
            entry.Property(e => e.UserName).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.Target).HasMaxLength(400);
            entry.Property(e => e.Details).HasMaxLength(2000);
        });
        modelBuilder.Entity<NewsroomSetting>(setting =>
        {
            setting.HasKey(s => s.Key);
            setting.Property(s => s.Key).HasMaxLength(64);
            setting.Property(s => s.Value).HasMaxLength(1000);
        });
        modelBuilder.Entity<Redirect>(redirect =>
        {
            redirect.Property(r => r.FromPath).HasMaxLength(400);
            redirect.HasIndex(r => r.FromPath).IsUnique();
            redirect.Property(r => r.ToPath).HasMaxLength(400);
        });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
