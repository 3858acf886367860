// Tests pin UTC so that dates and log lines do not depend on the machine; workers inherit it.
module.exports = async () => {
  process.env.TZ = 'UTC';
};
