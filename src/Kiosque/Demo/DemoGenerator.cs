using System.Text;
using Kiosque.Content;
using Kiosque.Data;
using Microsoft.EntityFrameworkCore;

namespace Kiosque.Demo;

/// <summary>
/// Fills the database with many realistic French-like articles for benchmarks: sentences are
/// drawn from a word chain learnt from the demo newsroom's own text, so analysers, stemmers and
/// page sizes behave as they would on real copy.
/// </summary>
public sealed class DemoGenerator(KiosqueDb db, DemoNewsroom newsroom, TimeProvider clock)
{
    private const int BatchSize = 1000;

    public async Task GenerateAsync(int count, Action<int> progress, CancellationToken cancellationToken)
    {
        await newsroom.SeedIfEmptyAsync(cancellationToken);
        var sections = await db.Sections.Select(s => s.Id).ToListAsync(cancellationToken);
        var authors = await db.Authors.Select(a => a.Id).ToListAsync(cancellationToken);
        var tags = await db.Tags.Select(t => t.Id).ToListAsync(cancellationToken);
        var media = await db.Media.Where(m => m.Width > m.Height).Select(m => m.Id).ToListAsync(cancellationToken);
        if (sections.Count == 0 || authors.Count == 0)
        {
            throw new InvalidOperationException("The database has no sections or authors to file generated articles under.");
        }
        var chain = WordChain.Learn(DemoNewsroom.Load());
        var now = clock.GetUtcNow().UtcDateTime;
        var run = now.ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        // Writing text is about as costly as saving it: the next batch is written on another core
        // while this one is saved. Each batch has its own seeded random, so a run is reproducible.
        List<Article> Make(int first, int size)
        {
            var random = new Random(unchecked((count * 7919) + first));
            var articles = new List<Article>(size);
            for (var n = first; n < first + size; n++)
            {
                var headline = chain.Headline(random);
                // Spread over about three years, newest first in the order generated.
                var published = now.AddMinutes(-(15 * n) - random.Next(0, 15) - 60 * 24 * 2);
                var articleAuthors = Pick(random, authors, random.Next(1, 3));
                articles.Add(new Article
                {
                    Slug = $"{Slug.From(headline, 60)}-{run}-{n}",
                    Kicker = chain.Kicker(random),
                    Headline = headline,
                    Standfirst = chain.Sentence(random) + " " + chain.Sentence(random),
                    Body = chain.Body(random).ToJson(),
                    SectionId = sections[random.Next(sections.Count)],
                    HeroMediaId = media.Count == 0 ? null : media[random.Next(media.Count)],
                    Status = ArticleStatus.Published,
                    PublishedAt = published,
                    CreatedAt = published,
                    UpdatedAt = published,
                    Authors = articleAuthors.Select((id, position) => new ArticleAuthor { AuthorId = id, Position = position }).ToList(),
                    Tags = Pick(random, tags, Math.Min(tags.Count, random.Next(1, 4))).Select(id => new ArticleTag { TagId = id }).ToList(),
                });
            }
            return articles;
        }

        var next = Task.Run(() => Make(0, Math.Min(BatchSize, count)), cancellationToken);
        for (var done = 0; done < count;)
        {
            var batch = await next;
            var after = done + batch.Count;
            if (after < count)
            {
                next = Task.Run(() => Make(after, Math.Min(BatchSize, count - after)), cancellationToken);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Articles.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            done = after;
            progress(batch.Count);
        }
    }

    private static List<int> Pick(Random random, List<int> from, int count) =>
        from.OrderBy(_ => random.Next()).Take(count).ToList();

    /// <summary>A first-order word chain: each word is followed by one seen after it in the corpus.</summary>
    private sealed class WordChain
    {
        private readonly Dictionary<string, List<string>> _next = [];
        private readonly List<string> _starts = [];
        private readonly List<string> _kickers = [];
        private readonly List<string> _sources = [];

        public static WordChain Learn(DemoContent content)
        {
            var chain = new WordChain();
            foreach (var article in content.Articles)
            {
                chain._kickers.Add(article.Kicker);
                chain.Add(article.Standfirst);
                foreach (var block in article.Blocks)
                {
                    if (block.TryGetProperty("text", out var text) && text.GetString() is string value)
                    {
                        chain.Add(InlineMarkup.ToPlainText(value));
                    }
                    if (block.TryGetProperty("source", out var source))
                    {
                        chain._sources.Add(source.GetProperty("name").GetString()!);
                    }
                }
            }
            if (chain._starts.Count == 0)
            {
                throw new InvalidOperationException("The demo content has no text to learn from.");
            }
            return chain;
        }

        private void Add(string text)
        {
            var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length; i++)
            {
                if (i == 0 || words[i - 1].EndsWith('.'))
                {
                    if (char.IsUpper(words[i][0]))
                    {
                        _starts.Add(words[i]);
                    }
                }
                if (i + 1 < words.Length)
                {
                    if (!_next.TryGetValue(words[i], out var list))
                    {
                        _next[words[i]] = list = [];
                    }
                    list.Add(words[i + 1]);
                }
            }
        }

        public string Sentence(Random random, int maxWords = 28)
        {
            var sentence = new StringBuilder();
            var word = _starts[random.Next(_starts.Count)];
            for (var i = 0; i < maxWords; i++)
            {
                sentence.Append(word);
                if (word.EndsWith('.') && i > 5)
                {
                    return sentence.ToString();
                }
                if (!_next.TryGetValue(word, out var next))
                {
                    break;
                }
                sentence.Append(' ');
                word = next[random.Next(next.Count)];
            }
            return sentence.ToString().TrimEnd(',', ';', ':', ' ', '«', '(') + ".";
        }

        /// <summary>
        /// Only what inline markup requires: accented letters stay letters, as the editor stores
        /// them (WebUtility.HtmlEncode would write every "é" as an entity, which real copy never has).
        /// </summary>
        private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

        public string Headline(Random random) => Sentence(random, 12).TrimEnd('.');

        public string Kicker(Random random) => _kickers[random.Next(_kickers.Count)];

        public ArticleBody Body(Random random)
        {
            var blocks = new List<Block>();
            var paragraphs = random.Next(6, 11);
            for (var i = 0; i < paragraphs; i++)
            {
                if (i == paragraphs / 2)
                {
                    blocks.Add(new HeadingBlock(Headline(random)));
                }
                if (i == 2 && _sources.Count > 0)
                {
                    blocks.Add(new QuoteBlock(Sentence(random), new QuoteSource(_sources[random.Next(_sources.Count)]),
                        random.Next(3) == 0 ? Verification.Unverified : Verification.Verified));
                }
                var paragraph = new StringBuilder();
                for (var s = random.Next(3, 6); s > 0; s--)
                {
                    paragraph.Append(Escape(Sentence(random))).Append(' ');
                }
                blocks.Add(new ParagraphBlock(paragraph.ToString().TrimEnd()));
            }
            return ArticleBody.Of([.. blocks]);
        }
    }
}
