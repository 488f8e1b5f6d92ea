package latte.envs;

/** Mass properties MuJoCo derives from geoms (density 1000 unless a mass is given). */
final class Inertia {
    private Inertia() {}

    /** Mass of a capsule of radius r and cylinder length h at the given density. */
    static double capsuleMass(double density, double r, double h) {
        return density * (Math.PI * r * r * h + 4.0 / 3.0 * Math.PI * r * r * r);
    }

    /**
     * Moment of inertia of a capsule of total mass m about an axis through its centre,
     * perpendicular to its length: cylinder part m_c (3 r^2 + h^2) / 12 plus the two
     * hemispheres m_s (2 r^2 / 5 + h^2 / 4 + 3 h r / 8) (parallel-axis theorem).
     */
    static double capsulePerpendicular(double m, double r, double h) {
        double vc = Math.PI * r * r * h, vs = 4.0 / 3.0 * Math.PI * r * r * r;
        double mc = m * vc / (vc + vs), ms = m * vs / (vc + vs);
        return mc * (3 * r * r + h * h) / 12 + ms * (2 * r * r / 5 + h * h / 4 + 3 * h * r / 8);
    }

    /** Mass of a sphere of radius r. */
    static double sphereMass(double density, double r) {
        return density * 4.0 / 3.0 * Math.PI * r * r * r;
    }
}
