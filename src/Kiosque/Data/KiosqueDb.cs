using Kiosque.ChangeLog;
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
    public DbSet<ArticlePicture> ArticlePictures => Set<ArticlePicture>();
    public DbSet<Correction> Corrections => Set<Correction>();
    public DbSet<LiveEntry> LiveEntries => Set<LiveEntry>();
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

    /// <summary>The newest change-log row this context wrote, so a request can wait until this node has applied it.</summary>
    public long LastChangeId { get; internal set; }

    /// <summary>Set when this context wrote change-log rows whose transaction has not committed yet (see <see cref="ChangeCommits"/>).</summary>
    internal bool ChangesAwaitingCommit { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>Every save goes through the change log's door, which logs what it changes in the same transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await Content.ArticlePictures.SyncAsync(this, cancellationToken);
        return await ChangeRecorder.SaveAsync(this, acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The plain save, for <see cref="ChangeRecorder"/> alone (the build refuses it elsewhere).</summary>
    internal Task<int> SaveEntitiesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken) =>
        base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC. SQLite hands DateTime back as Unspecified and Npgsql refuses to
        // write a non-UTC value to timestamptz, so the kind is pinned on the way in and out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<ArticleStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Coverage>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var modelBuilder = builder;
        modelBuilder.Entity<StaffUser>(user => user.Property(u => u.DisplayName).HasMaxLength(200));
        modelBuilder.Entity<Article>(article =>
        {
            article.Property(a => a.Version).IsConcurrencyToken();
            // The workflow's claim (ArticleWorkflow): a step holds only if the status it was decided on still stands.
            article.Property(a => a.Status).IsConcurrencyToken();
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
        modelBuilder.Entity<ArticlePicture>(picture =>
        {
            picture.HasKey(p => new { p.ArticleId, p.MediaAssetId });
            // "Is this picture public?" (MediaAccess) reads by picture. No foreign key to the
            // picture: a body may name one that was deleted, and that must not stop a save.
            picture.HasIndex(p => p.MediaAssetId);
            picture.HasOne<Article>().WithMany(a => a.Pictures).HasForeignKey(p => p.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Correction>(correction =>
        {
            correction.Property(c => c.Text).HasMaxLength(2000);
            correction.HasIndex(c => c.ArticleId);
        });
        modelBuilder.Entity<LiveEntry>(entry =>
        {
            // A page reads its entries newest first; the stream reads them by id.
            entry.HasIndex(e => new { e.ArticleId, e.PostedAt });
            entry.HasOne<Article>().WithMany().HasForeignKey(e => e.ArticleId).OnDelete(DeleteBehavior.Cascade);
            entry.HasOne(e => e.Author).WithMany().HasForeignKey(e => e.AuthorId).OnDelete(DeleteBehavior.SetNull);
            entry.Property(e => e.PostedById).HasMaxLength(450);
            entry.Property(e => e.AuthorName).HasMaxLength(200);
            entry.Property(e => e.Title).HasMaxLength(300);
            entry.Property(e => e.CorrectionNote).HasMaxLength(2000);
            entry.Property(e => e.DeletionNote).HasMaxLength(2000);
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
