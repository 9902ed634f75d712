package org.redtest.storage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.redtest.RedTestException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The population of an evolutionary search after every generation, so a killed search resumes there. */
public final class GenerationStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResultsDatabase db;

    public GenerationStore(ResultsDatabase db) {
        this.db = db;
        try (Statement s = db.connection().createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS nas_generations (
                      search TEXT NOT NULL,
                      generation INTEGER NOT NULL,
                      population TEXT NOT NULL,
                      saved_at TEXT,
                      PRIMARY KEY (search, generation))""");
        } catch (SQLException e) {
            throw new RedTestException("results database " + db.file() + ": cannot create table nas_generations: " + e.getMessage(), e);
        }
    }

    public record Generation(long number, List<Integer> population) {
    }

    public void save(String search, long generation, List<Integer> population) {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "INSERT OR REPLACE INTO nas_generations(search, generation, population, saved_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, search);
            ps.setLong(2, generation);
            ps.setString(3, JSON.writeValueAsString(population));
            ps.setString(4, Instant.now().toString());
            ps.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RedTestException("results database " + db.file() + ": cannot save generation " + generation + ": " + e.getMessage(), e);
        }
    }

    public Optional<Generation> latest(String search) {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT generation, population FROM nas_generations WHERE search = ? ORDER BY generation DESC LIMIT 1")) {
            ps.setString(1, search);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Generation(rs.getLong(1), JSON.readValue(rs.getString(2), new TypeReference<List<Integer>>() { })));
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RedTestException("results database " + db.file() + ": cannot read generations: " + e.getMessage(), e);
        }
    }
}
