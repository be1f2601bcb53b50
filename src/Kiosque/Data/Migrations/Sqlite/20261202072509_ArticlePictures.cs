using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiosque.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ArticlePictures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ArticlePictures",
                columns: table => new
                {
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    MediaAssetId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticlePictures", x => new { x.ArticleId, x.MediaAssetId });
                    table.ForeignKey(
                        name: "FK_ArticlePictures_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArticlePictures_MediaAssetId",
                table: "ArticlePictures",
                column: "MediaAssetId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArticlePictures");
        }
    }
}
