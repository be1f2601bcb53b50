using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kiosque.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MediaRenditions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CropsPath",
                table: "Media",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // Existing pictures are centred: crops keep the middle until an editor sets a focal point.
            migrationBuilder.AddColumn<double>(
                name: "FocalX",
                table: "Media",
                type: "double precision",
                nullable: false,
                defaultValue: 0.5);

            migrationBuilder.AddColumn<double>(
                name: "FocalY",
                table: "Media",
                type: "double precision",
                nullable: false,
                defaultValue: 0.5);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "Media",
                type: "character varying(255)",
                maxLength: 255,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OriginalPath",
                table: "Media",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RenditionAttempts",
                table: "Media",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "RenditionError",
                table: "Media",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RenditionLeaseUntil",
                table: "Media",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RenditionsPath",
                table: "Media",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RenditionsPending",
                table: "Media",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "RenditionsVersion",
                table: "Media",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Sha256",
                table: "Media",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Media_RenditionsPending",
                table: "Media",
                column: "RenditionsPending");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Media_RenditionsPending",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "CropsPath",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "FocalX",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "FocalY",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "OriginalPath",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionAttempts",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionError",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionLeaseUntil",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionsPath",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionsPending",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "RenditionsVersion",
                table: "Media");

            migrationBuilder.DropColumn(
                name: "Sha256",
                table: "Media");
        }
    }
}
