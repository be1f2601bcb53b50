using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiosque.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChangeMemberships : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "After",
                table: "ContentChanges",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Before",
                table: "ContentChanges",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "After",
                table: "ContentChanges");

            migrationBuilder.DropColumn(
                name: "Before",
                table: "ContentChanges");
        }
    }
}
